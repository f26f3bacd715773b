/*
 * kick_latency: the platform floor for pausing a vCPU that spins in the guest.
 *
 * One thread runs KVM_RUN on a real-mode guest doing `jmp $`; the main thread sets immediate_exit and
 * sends SIGUSR1 to that thread with tgkill (what vmscope's pause does), and times how long until KVM_RUN
 * returns. Prints p50/p99/max over N pauses.
 *
 *   gcc -O2 -o kick_latency kick_latency.c -lpthread && ./kick_latency [N]
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int vcpu_fd;
static struct kvm_run *run;
static atomic_int vcpu_tid;
static atomic_int returns;      /* how many times KVM_RUN came back */
static atomic_int allowed;      /* how many times the vCPU thread may enter */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void on_kick(int sig) { (void)sig; /* only needs to exist so the signal interrupts KVM_RUN */ }

static void *vcpu_thread(void *arg)
{
    (void)arg;
    atomic_store(&vcpu_tid, (int)syscall(SYS_gettid));
    for (;;) {
        while (atomic_load(&returns) >= atomic_load(&allowed))
            ;   /* paused: wait for the main thread's resume */
        ioctl(vcpu_fd, KVM_RUN, 0);
        run->immediate_exit = 0;
        atomic_fetch_add(&returns, 1);
    }
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int die(const char *what)
{
    perror(what);
    return 2;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 300;
    if (n < 10)
        n = 10;
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        return die("/dev/kvm");
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0)
        return die("KVM_CREATE_VM");
    unsigned char *mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    mem[0x1000] = 0xEB;   /* jmp $ */
    mem[0x1001] = 0xFE;
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = 0, .memory_size = 0x10000, .userspace_addr = (unsigned long)mem,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        return die("KVM_SET_USER_MEMORY_REGION");
    vcpu_fd = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu_fd < 0)
        return die("KVM_CREATE_VCPU");
    run = mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
    struct kvm_sregs sregs;
    ioctl(vcpu_fd, KVM_GET_SREGS, &sregs);
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    ioctl(vcpu_fd, KVM_SET_SREGS, &sregs);
    struct kvm_regs regs = { .rip = 0x1000, .rflags = 2 };
    ioctl(vcpu_fd, KVM_SET_REGS, &regs);

    signal(SIGUSR1, on_kick);
    pthread_t t;
    pthread_create(&t, NULL, vcpu_thread, NULL);
    while (atomic_load(&vcpu_tid) == 0)
        usleep(1000);

    double *lat = calloc(n, sizeof *lat);
    for (int i = 0; i < n; i++) {
        atomic_fetch_add(&allowed, 1);   /* resume */
        usleep(2000);                    /* let it spin in the guest */
        int before = atomic_load(&returns);
        double t0 = now_ms();
        run->immediate_exit = 1;
        syscall(SYS_tgkill, getpid(), atomic_load(&vcpu_tid), SIGUSR1);
        while (atomic_load(&returns) == before)
            ;
        lat[i] = now_ms() - t0;
    }
    qsort(lat, n, sizeof *lat, cmp);
    printf("kick latency (C, tgkill + immediate_exit), %d pauses: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
           n, lat[n / 2], lat[(int)(n * 0.99)], lat[n - 1]);
    return 0;
}
