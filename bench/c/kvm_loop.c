/*
 * kvm_loop: the smallest honest KVM run loop, used as vmscope's benchmark baseline
 * and to run the sample guests without the Java engine.
 *
 *   kvm_loop IMAGE [--load ADDR] [--count N] [--sync-regs] [--quiet]
 *                  [--vcpus N] [--trace] [--state]
 *
 * The guest gets 2 MiB of RAM at guest-physical 0 and starts in real mode at ADDR
 * (CS=DS=ES=SS=0, IP=ADDR, SP=0xFFF0, RFLAGS=2), the machine described in samples/README.md.
 * Devices are as thin as possible so the loop measures KVM, not us: a write to port 0x3F8
 * goes to stdout, every other port and every MMIO access is ignored (reads see all ones).
 * HLT or SHUTDOWN ends a vCPU; the run ends when every vCPU has ended.
 *
 * Build: gcc -O2 -o kvm_loop kvm_loop.c -lpthread
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RAM_SIZE      (2u << 20)
#define TSS_ADDR      0xfffbd000u
#define UART_PORT     0x3f8
#define MAX_VCPUS     8

struct vcpu {
    int index;
    int fd;
    struct kvm_run *run;
    uint64_t exits;
    uint32_t last_reason;
    int failed;               /* ended on an exit we do not handle */
};

static struct {
    int kvm_fd, vm_fd;
    size_t run_size;
    uint8_t *ram;
    int sync_regs, quiet, trace, state;
    pthread_mutex_t out_lock;  /* keeps bytes from several vCPUs in exit order */
} g = { .out_lock = PTHREAD_MUTEX_INITIALIZER };

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kvm_loop: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* ioctl that must succeed; the message names the ioctl and the errno. */
static int xioctl(int fd, unsigned long req, void *arg, const char *name)
{
    int r = ioctl(fd, req, arg);
    if (r < 0)
        die("%s failed: %s", name, strerror(errno));
    return r;
}
#define IOCTL(fd, req, arg) xioctl((fd), (req), (void *)(uintptr_t)(arg), #req)

static const char *exit_name(uint32_t r)
{
    static const char *names[] = {
        [KVM_EXIT_UNKNOWN] = "UNKNOWN", [KVM_EXIT_EXCEPTION] = "EXCEPTION",
        [KVM_EXIT_IO] = "IO", [KVM_EXIT_HYPERCALL] = "HYPERCALL",
        [KVM_EXIT_DEBUG] = "DEBUG", [KVM_EXIT_HLT] = "HLT", [KVM_EXIT_MMIO] = "MMIO",
        [KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN", [KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
        [KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY", [KVM_EXIT_INTR] = "INTR",
        [KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR", [KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
        [KVM_EXIT_X86_RDMSR] = "X86_RDMSR", [KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
    };
    if (r < sizeof names / sizeof names[0] && names[r])
        return names[r];
    return "OTHER";
}

static uint64_t parse_u64(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end)
        die("bad %s: '%s'", what, s);
    return v;
}

static void load_image(const char *path, uint64_t load, int have_count, uint64_t count)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die("cannot open image %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0)
        die("cannot stat %s: %s", path, strerror(errno));
    if (st.st_size == 0)
        die("image %s is empty", path);
    if (load >= RAM_SIZE || (uint64_t)st.st_size > RAM_SIZE - load)
        die("image %s (%lld bytes) at 0x%" PRIx64 " does not fit in %u KiB of RAM",
            path, (long long)st.st_size, load, RAM_SIZE >> 10);
    size_t done = 0;
    while (done < (size_t)st.st_size) {
        ssize_t n = read(fd, g.ram + load + done, st.st_size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            die("cannot read %s: %s", path, n < 0 ? strerror(errno) : "short read");
        done += n;
    }
    close(fd);

    if (have_count) {
        /* ioloop keeps its iteration count as a little-endian u32 at load+4 */
        if (st.st_size < 8)
            die("--count needs an image of at least 8 bytes (u32 at offset 4)");
        if (count > UINT32_MAX)
            die("--count %" PRIu64 " does not fit in 32 bits", count);
        uint32_t c = (uint32_t)count;
        memcpy(g.ram + load + 4, &c, 4);   /* x86 host: already little-endian */
    }
}

static void set_cpuid(struct vcpu *v)
{
    int n = 64;
    struct kvm_cpuid2 *c;
    for (;;) {
        c = calloc(1, sizeof *c + n * sizeof c->entries[0]);
        if (!c)
            die("out of memory");
        c->nent = n;
        if (ioctl(g.kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
            break;
        if (errno != E2BIG)
            die("KVM_GET_SUPPORTED_CPUID failed: %s", strerror(errno));
        free(c);
        n *= 2;
    }
    /* KVM leaves the APIC ID fields to the VMM: make them the vCPU index, as the
       sample contract promises (CPUID.1:EBX[31:24], CPUID.0xB:EDX). */
    for (uint32_t i = 0; i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];
        if (e->function == 1)
            e->ebx = (e->ebx & 0x00ffffffu) | ((uint32_t)v->index << 24);
        else if (e->function == 0xb || e->function == 0x1f)
            e->edx = v->index;
    }
    IOCTL(v->fd, KVM_SET_CPUID2, c);
    free(c);
}

static void setup_vcpu(struct vcpu *v, uint64_t entry)
{
    v->fd = IOCTL(g.vm_fd, KVM_CREATE_VCPU, v->index);
    v->run = mmap(NULL, g.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    if (v->run == MAP_FAILED)
        die("mmap of vCPU %d kvm_run failed: %s", v->index, strerror(errno));
    set_cpuid(v);

    struct kvm_sregs sregs;
    IOCTL(v->fd, KVM_GET_SREGS, &sregs);
    /* Reset state is CS=F000 base FFFF0000; a flat real-mode start wants base 0.
       Above 64 KiB the entry point needs a code segment of its own. */
    uint16_t cs = entry < 0x10000 ? 0 : (uint16_t)(entry >> 4);
    sregs.cs.selector = cs;
    sregs.cs.base = (uint64_t)cs << 4;
    struct kvm_segment *data[] = { &sregs.ds, &sregs.es, &sregs.ss, &sregs.fs, &sregs.gs };
    for (int i = 0; i < 5; i++) {
        data[i]->selector = 0;
        data[i]->base = 0;
    }
    IOCTL(v->fd, KVM_SET_SREGS, &sregs);

    struct kvm_regs regs = { 0 };
    regs.rip = entry - ((uint64_t)cs << 4);
    regs.rsp = 0xfff0;
    regs.rflags = 0x2;
    IOCTL(v->fd, KVM_SET_REGS, &regs);

    if (g.sync_regs)
        v->run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS;
}

static void trace_exit(const struct vcpu *v)
{
    const struct kvm_run *r = v->run;
    struct kvm_regs regs;
    IOCTL(v->fd, KVM_GET_REGS, &regs);   /* an extra ioctl per exit: fine for a trace */
    fprintf(stderr, "[cpu%d] rip=0x%llx rcx=0x%llx %s", v->index, (unsigned long long)regs.rip,
            (unsigned long long)regs.rcx, exit_name(r->exit_reason));
    if (r->exit_reason == KVM_EXIT_IO)
        fprintf(stderr, " %s port=0x%x size=%u count=%u", r->io.direction ? "out" : "in",
                r->io.port, r->io.size, r->io.count);
    else if (r->exit_reason == KVM_EXIT_MMIO) {
        uint64_t d = 0;
        memcpy(&d, r->mmio.data, r->mmio.len <= 8 ? r->mmio.len : 8);
        fprintf(stderr, " %s addr=0x%llx len=%u", r->mmio.is_write ? "write" : "read",
                (unsigned long long)r->mmio.phys_addr, r->mmio.len);
        if (r->mmio.is_write)
            fprintf(stderr, " data=0x%" PRIx64, d);
    }
    fputc('\n', stderr);
}

/* Segment access rights in the VMCS layout (as Linux vmx_segment_access_rights() builds them). */
static uint32_t vmx_ar(const struct kvm_segment *s)
{
    if (s->unusable || !s->present)
        return 1u << 16;
    return s->type | s->s << 4 | s->dpl << 5 | s->present << 7 | s->avl << 12 | s->l << 13 |
           s->db << 14 | s->g << 15;
}

/* The final state of a vCPU, for checking what a sample claims (mode bits, CS rights). */
static void print_state(const struct vcpu *v)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    IOCTL(v->fd, KVM_GET_REGS, &r);
    IOCTL(v->fd, KVM_GET_SREGS, &s);
    fprintf(stderr, "[cpu%d] rip=0x%llx rsp=0x%llx rflags=0x%llx rax=0x%llx\n", v->index,
            (unsigned long long)r.rip, (unsigned long long)r.rsp, (unsigned long long)r.rflags,
            (unsigned long long)r.rax);
    fprintf(stderr, "[cpu%d] cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx\n", v->index,
            (unsigned long long)s.cr0, (unsigned long long)s.cr3, (unsigned long long)s.cr4,
            (unsigned long long)s.efer);
    fprintf(stderr, "[cpu%d] cs=0x%04x base=0x%llx limit=0x%x ar=0x%x l=%u db=%u; ss=0x%04x ar=0x%x\n",
            v->index, s.cs.selector, (unsigned long long)s.cs.base, s.cs.limit, vmx_ar(&s.cs),
            s.cs.l, s.cs.db, s.ss.selector, vmx_ar(&s.ss));
}

/* Returns when the vCPU halts, shuts down or hits an exit we do not model. */
static void *run_vcpu(void *arg)
{
    struct vcpu *v = arg;
    struct kvm_run *run = v->run;
    volatile uint64_t sink = 0;   /* keeps the sync-area reads alive under -O2 */

    for (;;) {
        if (ioctl(v->fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            fprintf(stderr, "kvm_loop: KVM_RUN on vCPU %d failed: %s\n", v->index, strerror(errno));
            v->failed = 1;
            return NULL;
        }
        v->exits++;
        v->last_reason = run->exit_reason;
        if (g.sync_regs) {
            const struct kvm_regs *r = &run->s.regs.regs;
            sink += r->rip + r->rax + r->rflags;
        }
        if (g.trace)
            trace_exit(v);

        switch (run->exit_reason) {
        case KVM_EXIT_IO: {
            uint8_t *data = (uint8_t *)run + run->io.data_offset;
            size_t len = (size_t)run->io.size * run->io.count;
            if (run->io.direction == KVM_EXIT_IO_OUT) {
                if (run->io.port == UART_PORT && !g.quiet) {
                    pthread_mutex_lock(&g.out_lock);
                    /* one byte per access: the low byte of each element is what a UART sends */
                    for (uint32_t i = 0; i < run->io.count; i++)
                        putchar(data[(size_t)i * run->io.size]);
                    fflush(stdout);
                    pthread_mutex_unlock(&g.out_lock);
                }
            } else {
                memset(data, 0xff, len);
            }
            break;
        }
        case KVM_EXIT_MMIO:
            if (!run->mmio.is_write)
                memset(run->mmio.data, 0xff, sizeof run->mmio.data);
            break;
        case KVM_EXIT_HLT:
        case KVM_EXIT_SHUTDOWN:
            return NULL;
        case KVM_EXIT_INTR:
            break;
        case KVM_EXIT_FAIL_ENTRY:
            fprintf(stderr, "kvm_loop: vCPU %d: entry failed, hardware reason 0x%llx\n", v->index,
                    (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
            v->failed = 1;
            return NULL;
        case KVM_EXIT_INTERNAL_ERROR:
            fprintf(stderr, "kvm_loop: vCPU %d: KVM internal error, suberror %u\n", v->index,
                    run->internal.suberror);
            v->failed = 1;
            return NULL;
        default:
            fprintf(stderr, "kvm_loop: vCPU %d: unhandled exit %u (%s)\n", v->index,
                    run->exit_reason, exit_name(run->exit_reason));
            v->failed = 1;
            return NULL;
        }
    }
}

static void usage(void)
{
    fprintf(stderr,
            "usage: kvm_loop IMAGE [--load ADDR] [--count N] [--sync-regs] [--quiet] [--vcpus N]\n"
            "                [--trace] [--state]\n"
            "  --load ADDR   guest-physical load and entry address (default 0x1000)\n"
            "  --count N     patch the u32 at ADDR+4 (the iteration count of samples/ioloop)\n"
            "  --sync-regs   let KVM copy regs/sregs/events into kvm_run on every exit and read them\n"
            "  --quiet       do not copy UART output to stdout\n"
            "  --vcpus N     run N vCPUs (1..%d), one thread each (default 1)\n"
            "  --trace       log every exit to stderr (slow; for checking a sample)\n"
            "  --state       print each vCPU's final registers, control registers and CS to stderr\n",
            MAX_VCPUS);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *image = NULL;
    uint64_t load = 0x1000, count = 0;
    int have_count = 0, nvcpus = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--load") && i + 1 < argc)
            load = parse_u64(argv[++i], "--load");
        else if (!strcmp(a, "--count") && i + 1 < argc)
            count = parse_u64(argv[++i], "--count"), have_count = 1;
        else if (!strcmp(a, "--vcpus") && i + 1 < argc)
            nvcpus = (int)parse_u64(argv[++i], "--vcpus");
        else if (!strcmp(a, "--sync-regs"))
            g.sync_regs = 1;
        else if (!strcmp(a, "--quiet"))
            g.quiet = 1;
        else if (!strcmp(a, "--trace"))
            g.trace = 1;
        else if (!strcmp(a, "--state"))
            g.state = 1;
        else if (a[0] == '-' || image)
            usage();
        else
            image = a;
    }
    if (!image)
        usage();
    if (nvcpus < 1 || nvcpus > MAX_VCPUS)
        die("--vcpus must be between 1 and %d", MAX_VCPUS);

    g.kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (g.kvm_fd < 0)
        die("cannot open /dev/kvm: %s", strerror(errno));
    int api = IOCTL(g.kvm_fd, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION)
        die("KVM API version %d, expected %d", api, KVM_API_VERSION);
    if (g.sync_regs && !(ioctl(g.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) & KVM_SYNC_X86_REGS))
        die("--sync-regs: KVM_CAP_SYNC_REGS is not available on this host");
    int mmap_size = IOCTL(g.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size < (int)sizeof(struct kvm_run))
        die("KVM_GET_VCPU_MMAP_SIZE returned %d", mmap_size);
    g.run_size = (size_t)mmap_size;

    g.vm_fd = IOCTL(g.kvm_fd, KVM_CREATE_VM, 0);
    IOCTL(g.vm_fd, KVM_SET_TSS_ADDR, TSS_ADDR);

    g.ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (g.ram == MAP_FAILED)
        die("cannot map guest RAM: %s", strerror(errno));
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = 0, .memory_size = RAM_SIZE, .userspace_addr = (uintptr_t)g.ram,
    };
    IOCTL(g.vm_fd, KVM_SET_USER_MEMORY_REGION, &region);
    load_image(image, load, have_count, count);

    struct vcpu vcpus[MAX_VCPUS] = { 0 };
    for (int i = 0; i < nvcpus; i++) {
        vcpus[i].index = i;
        setup_vcpu(&vcpus[i], load);
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (nvcpus == 1) {
        run_vcpu(&vcpus[0]);   /* no thread: the benchmark path stays as plain as possible */
    } else {
        pthread_t threads[MAX_VCPUS];
        for (int i = 0; i < nvcpus; i++) {
            int e = pthread_create(&threads[i], NULL, run_vcpu, &vcpus[i]);
            if (e)
                die("pthread_create: %s", strerror(e));
        }
        for (int i = 0; i < nvcpus; i++)
            pthread_join(threads[i], NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);

    uint64_t exits = 0;
    int failed = 0;
    for (int i = 0; i < nvcpus; i++) {
        if (g.state)
            print_state(&vcpus[i]);
        exits += vcpus[i].exits;
        failed |= vcpus[i].failed;
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* "last" is vCPU 0's final exit: with one vCPU, the exit that ended the run */
    fprintf(stderr, "exits=%" PRIu64 " seconds=%.6f exits_per_second=%.0f last=%s\n",
            exits, secs, secs > 0 ? (double)exits / secs : 0.0, exit_name(vcpus[0].last_reason));
    return failed ? 1 : 0;
}
