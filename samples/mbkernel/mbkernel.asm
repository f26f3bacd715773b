; mbkernel: a small multiboot v1 kernel, the kind of guest a user brings along.
;
; A multiboot loader (vmscope's, GRUB, QEMU's -kernel) enters it in 32-bit protected mode,
; paging off, interrupts off, with EAX = 0x2BADB002 and EBX = the multiboot information.
; The kernel
;  1. prints what the multiboot information says (memory sizes, command line, memory map),
;  2. replaces the loader's GDT with its own and installs an IDT,
;  3. remaps the 8259 PICs and prints one line from the UART's interrupt handler (IRQ 4),
;  4. starts the second CPU with INIT/SIPI through the local APIC,
;  5. waits for it and reports success through the debug-exit port.
; Interrupt handlers return with POPFD + RETF rather than IRET: see IRET_SAME_RING.
;
; Status of the run (the debug-exit port turns value v into (v << 1) | 1):
;  0x10 -> 33  success
;  0x11 -> 35  not started by a multiboot loader (EAX was not 0x2BADB002)
;  0x12 -> 37  CPU exception (vector, error code and EIP are printed first)
;  0x13 -> 39  watchdog: the UART interrupts stopped before the line was out
;  0x14 -> 41  the second CPU did not come up
;
; Build: nasm -f bin -o mbkernel.bin mbkernel.asm

        bits 32
        org 0x100000            ; the loader copies the file here (multiboot address fields)

COM1            equ 0x3F8
UART_IER        equ COM1 + 1
UART_IIR        equ COM1 + 2
UART_MCR        equ COM1 + 4
UART_LSR        equ COM1 + 5
DEBUG_EXIT      equ 0xF4

PIC1            equ 0x20            ; command port; data (mask) is +1
PIC2            equ 0xA0
IRQ_BASE        equ 0x20            ; IRQ n -> vector 0x20 + n, clear of the CPU's exceptions 0-31
VEC_UART        equ IRQ_BASE + 4
VEC_WATCHDOG    equ 0x30
VEC_SPURIOUS    equ 0x3F            ; local APIC spurious vector
IDT_ENTRIES     equ 0x40

LAPIC           equ 0xFEE00000      ; every CPU sees its own local APIC at this address
LAPIC_ID        equ LAPIC + 0x020
LAPIC_SVR       equ LAPIC + 0x0F0
LAPIC_ICR_LO    equ LAPIC + 0x300   ; writing the low half sends the IPI
LAPIC_ICR_HI    equ LAPIC + 0x310   ; destination APIC ID in bits 31:24
LAPIC_LVT_TIMER equ LAPIC + 0x320
LAPIC_TMR_INIT  equ LAPIC + 0x380
LAPIC_TMR_DIV   equ LAPIC + 0x3E0

AP_APIC_ID      equ 1
TRAMPOLINE      equ 0x8000          ; below 1 MiB and page aligned: the SIPI vector is its page number
MB_BOOT_MAGIC   equ 0x2BADB002

EXIT_OK         equ 0x10
EXIT_NOT_MB     equ 0x11
EXIT_EXCEPTION  equ 0x12
EXIT_WATCHDOG   equ 0x13
EXIT_NO_AP      equ 0x14

; Return from an interrupt to code in the same ring: what IRET does there, as POPFD + RETF.
; On hosts where KVM runs this kernel through its instruction emulator (PVM, like vmscope's
; development machines) IRET cannot be used: the emulator implements IRET for real mode only
; and the run would end in KVM_EXIT_INTERNAL_ERROR. On VT-x hardware the kernel runs
; natively and a plain IRET would do. Rotates the CPU's frame (EIP, CS, EFLAGS) to
; (EFLAGS, EIP, CS) first.
%macro IRET_SAME_RING 0
        push eax
        push ebx
        mov eax, [esp + 8]              ; EIP
        mov ebx, [esp + 16]             ; EFLAGS
        mov [esp + 8], ebx
        mov ebx, [esp + 12]             ; CS
        mov [esp + 12], eax
        mov [esp + 16], ebx
        pop ebx
        pop eax
        popfd                           ; IF is back on: a new interrupt may nest at the RETF,
        retf                            ; which is harmless
%endmacro

%macro EXIT 1
        mov al, %1
        out DEBUG_EXIT, al
%%dead: cli                     ; only reached without a debug-exit device
        hlt
        jmp %%dead
%endmacro

; ---------------------------------------------------------------------------------------
; Multiboot header. Its entry_addr is `entry`; the jump in front lets the image also start
; at its first byte, as a flat image does (how the test shows the EAX check failing).

start:
        jmp short entry
        align 4
MB_FLAGS equ (1 << 1) | (1 << 16)   ; we need the memory fields; the address fields below are valid
mb_header:
        dd 0x1BADB002
        dd MB_FLAGS
        dd -(0x1BADB002 + MB_FLAGS)
        dd mb_header            ; header_addr: tells the loader where this file's bytes go
        dd start                ; load_addr
        dd load_end             ; load_end_addr
        dd bss_end              ; bss_end_addr: the loader zeroes the stacks and the IDT for us
        dd entry                ; entry_addr

entry:
        cld
        mov esp, bsp_stack_top  ; the multiboot spec leaves ESP undefined
        cmp eax, MB_BOOT_MAGIC
        jne not_multiboot
        mov [mb_info], ebx

; ---- 1. what the loader told us (polled UART: no interrupts yet) ----------------------
        mov esi, msg_banner
        call puts
        mov eax, ebx
        call puthex32
        call newline

        mov ebp, [mb_info]
        test byte [ebp], 1 << 0         ; flags.MEM: mem_lower/mem_upper valid
        jz .no_mem
        mov esi, msg_mem_lower
        call puts
        mov eax, [ebp + 4]
        call putdec
        mov esi, msg_mem_upper
        call puts
        mov eax, [ebp + 8]
        call putdec
        mov esi, msg_kib_nl
        call puts
.no_mem:
        test byte [ebp], 1 << 2         ; flags.CMDLINE
        jz .no_cmdline
        mov esi, msg_cmdline
        call puts
        mov esi, [ebp + 16]
        call puts
        call newline
.no_cmdline:
        test byte [ebp], 1 << 6         ; flags.MMAP
        jz .no_mmap
        mov ebx, [ebp + 48]             ; mmap_addr
        mov edi, ebx
        add edi, [ebp + 44]             ; + mmap_length
.mmap_entry:
        cmp ebx, edi
        jae .no_mmap
        mov esi, msg_mmap_base
        call puts
        mov eax, [ebx + 8]
        call puthex32
        mov eax, [ebx + 4]
        call puthex32_digits
        mov esi, msg_mmap_len
        call puts
        mov eax, [ebx + 16]
        call puthex32
        mov eax, [ebx + 12]
        call puthex32_digits
        mov esi, msg_mmap_type
        call puts
        mov eax, [ebx + 20]
        call putdec
        call newline
        add ebx, [ebx]                  ; an entry's size field does not count itself
        add ebx, 4
        jmp .mmap_entry
.no_mmap:

; ---- 2. our own GDT and IDT ------------------------------------------------------------
        ; The loader's GDT sits in RAM the multiboot spec does not promise to us, so a kernel
        ; must not keep using it.
        lgdt [gdtr]
        jmp CODE_SEL:.reload_cs         ; only a far jump reloads CS from the new table
.reload_cs:
        mov ax, DATA_SEL
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax

        xor ecx, ecx
.exc_gate:
        mov edx, [exc_stubs + ecx * 4]
        call set_gate
        inc ecx
        cmp ecx, 32
        jb .exc_gate
.irq_gate:                              ; masked PIC lines never fire; a spurious IRQ 7/15 may
        mov edx, spurious
        call set_gate
        inc ecx
        cmp ecx, IDT_ENTRIES
        jb .irq_gate
        mov ecx, VEC_UART
        mov edx, uart_irq
        call set_gate
        mov ecx, VEC_WATCHDOG
        mov edx, watchdog
        call set_gate
        lidt [idtr]
        mov esi, msg_tables
        call puts

; ---- 3. one line sent by the UART's interrupt handler -------------------------------------
        ; Reprogram both PICs: in the default setting IRQ 0-7 land on vectors 8-15, which are
        ; CPU exceptions in protected mode. ICW1 starts the sequence, ICW2 is the vector base,
        ; ICW3 wires the slave to master IRQ 2, ICW4 selects 8086 mode.
        mov al, 0x11
        out PIC1, al
        out PIC2, al
        mov al, IRQ_BASE
        out PIC1 + 1, al
        mov al, IRQ_BASE + 8
        out PIC2 + 1, al
        mov al, 1 << 2
        out PIC1 + 1, al
        mov al, 2
        out PIC2 + 1, al
        mov al, 0x01
        out PIC1 + 1, al
        out PIC2 + 1, al
        mov al, ~(1 << 4) & 0xFF        ; OCW1: only IRQ 4 (COM1) may interrupt
        out PIC1 + 1, al
        mov al, 0xFF
        out PIC2 + 1, al

        ; Software-enable the local APIC: its timer is the watchdog below, and real hardware
        ; expects it before IPIs are sent. LINT0 stays in ExtINT mode, so the PIC still
        ; reaches this CPU.
        mov dword [LAPIC_SVR], 0x100 | VEC_SPURIOUS
        mov dword [LAPIC_TMR_DIV], 0x3  ; divide by 16
        mov dword [LAPIC_LVT_TIMER], VEC_WATCHDOG ; one-shot, unmasked
        mov dword [LAPIC_TMR_INIT], 0x10000000 ; ~4 s with KVM's 1 GHz APIC bus

        mov dword [tx_next], msg_irq_line
        mov dx, UART_MCR
        mov al, 0x0B                    ; DTR, RTS, OUT2: on a PC, OUT2 gates the UART's IRQ line
        out dx, al
        mov dx, UART_IER
        mov al, 0x02                    ; transmitter-empty interrupt; THR is empty, so it is due now
        out dx, al
.wait_tx:
        cli                             ; test and sleep without a window for the last interrupt
        cmp byte [tx_done], 0
        jne .tx_done
        sti                             ; STI holds interrupts off for one instruction:
        hlt                             ; HLT is entered before the IRQ can slip in
        jmp .wait_tx
.tx_done:
        mov dword [LAPIC_TMR_INIT], 0   ; watchdog off
        mov dx, UART_IER
        xor al, al                      ; the polled writes below must not raise IRQ 4 again
        out dx, al
        mov esi, msg_irq_count
        call puts
        mov eax, [uart_irqs]
        call putdec
        call newline

; ---- 4. start the second CPU ---------------------------------------------------------------
        ; The AP starts in real mode at vector << 12, so its first code must sit below 1 MiB.
        mov esi, trampoline
        mov edi, TRAMPOLINE
        mov ecx, trampoline_end - trampoline
        rep movsb

        ; MP spec: INIT, wait 10 ms, SIPI, wait 200 us, SIPI again (a CPU already running
        ; ignores the second). The delays are rough TSC counts; KVM does not need them.
        mov dword [LAPIC_ICR_HI], AP_APIC_ID << 24
        mov dword [LAPIC_ICR_LO], 0x00004500    ; INIT, level assert
        call ipi_wait
        mov ecx, 10000000
        call tsc_delay
%rep 2
        mov dword [LAPIC_ICR_HI], AP_APIC_ID << 24
        mov dword [LAPIC_ICR_LO], 0x00004600 | (TRAMPOLINE >> 12)  ; STARTUP, vector 0x08
        call ipi_wait
        mov ecx, 200000
        call tsc_delay
%endrep

; ---- 5. wait for it, bounded --------------------------------------------------------------
        mov edi, 4000                   ; 4000 x 1M TSC ticks: one to a few seconds
.wait_ap:
        cmp byte [ap_ready], 0
        jne .ap_up
        mov ecx, 1000000
        call tsc_delay
        dec edi
        jnz .wait_ap
        call lock_uart
        mov esi, msg_no_ap
        call puts
        EXIT EXIT_NO_AP
.ap_up:
        call lock_uart                  ; the AP may still be printing
        mov esi, msg_all_up
        call puts
        call unlock_uart
        EXIT EXIT_OK

not_multiboot:
        mov esi, msg_not_mb
        call puts
        call puthex32
        call newline
        EXIT EXIT_NOT_MB

; ---------------------------------------------------------------------------------------
; The AP's first instructions, copied to TRAMPOLINE. SIPI starts it in real mode with
; CS = 0x0800 (base 0x8000), IP = 0; labels here are addressed through T().

%define T(x) (TRAMPOLINE + (x) - trampoline)
        bits 16
trampoline:
        cli
        xor ax, ax
        mov ds, ax
        o32 lgdt [T(tramp_gdtr)]        ; o32: load all 32 bits of the GDT base (above 1 MiB)
        mov eax, cr0
        or al, 1                        ; CR0.PE
        mov cr0, eax
        jmp dword CODE_SEL:ap_entry     ; straight into the kernel's 32-bit code
tramp_gdtr:
        dw gdt_end - gdt - 1
        dd gdt
trampoline_end:
        bits 32

ap_entry:
        mov ax, DATA_SEL
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, ap_stack_top           ; a stack of its own: both CPUs share all memory
        lidt [idtr]
        call lock_uart
        mov esi, msg_cpu
        call puts
        mov eax, [LAPIC_ID]             ; this CPU's local APIC: bits 31:24 are its ID
        shr eax, 24
        call putdec
        mov esi, msg_up
        call puts
        call unlock_uart
        mov byte [ap_ready], 1          ; after the line: x86 keeps stores in order
.park:
        cli
        hlt
        jmp .park

; ---------------------------------------------------------------------------------------
; Interrupt and exception handlers

uart_irq:
        pushad
        inc dword [uart_irqs]
        mov dx, UART_IIR
        in al, dx                       ; reading IIR acknowledges THR-empty: the line drops
        and al, 0x0F
        cmp al, 0x02                    ; was it THR-empty?
        jne .eoi
        mov esi, [tx_next]
        lodsb
        test al, al
        jz .line_done
        mov [tx_next], esi
        mov dx, COM1
        out dx, al                      ; THR empties again, the line rises: the next IRQ 4
        jmp .eoi
.line_done:
        mov byte [tx_done], 1
.eoi:
        mov al, 0x20                    ; non-specific EOI: the PIC may deliver IRQ 4 again
        out PIC1, al
        popad
        IRET_SAME_RING

spurious:                               ; no EOI: the PIC / APIC has nothing in service
        IRET_SAME_RING

watchdog:
        mov esi, msg_watchdog
        call puts
        EXIT EXIT_WATCHDOG

; Exception stubs push a dummy error code where the CPU pushes none, so one handler reads
; every frame the same way: [esp] vector, [esp+4] error code, [esp+8] EIP.
%assign v 0
%rep 32
exc_%[v]:
%if !(v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30)
        push 0
%endif
        push v
        jmp exception
%assign v v + 1
%endrep

exc_stubs:
%assign v 0
%rep 32
        dd exc_%[v]
%assign v v + 1
%endrep

exception:                              ; no lock: this CPU may be the one holding it
        mov esi, msg_exception
        call puts
        mov eax, [esp]
        call puthex32
        mov esi, msg_err
        call puts
        mov eax, [esp + 4]
        call puthex32
        mov esi, msg_eip
        call puts
        mov eax, [esp + 8]
        call puthex32
        call newline
        EXIT EXIT_EXCEPTION

; ---------------------------------------------------------------------------------------
; Helpers

; IDT gate ECX -> handler EDX: present, DPL 0, 32-bit interrupt gate (IF cleared on entry)
set_gate:
        mov [idt + ecx * 8], dx
        mov word [idt + ecx * 8 + 2], CODE_SEL
        mov word [idt + ecx * 8 + 4], 0x8E00
        shr edx, 16
        mov [idt + ecx * 8 + 6], dx
        ret

; Wait until the local APIC has sent the IPI (ICR delivery status, bit 12).
ipi_wait:
        pause
        test dword [LAPIC_ICR_LO], 1 << 12
        jnz ipi_wait
        ret

; Spin for ECX TSC ticks (uncalibrated: only an order of magnitude).
tsc_delay:
        push eax
        push ebx
        push edx
        rdtsc
        mov ebx, eax
.spin:
        pause
        rdtsc
        sub eax, ebx
        cmp eax, ecx
        jb .spin
        pop edx
        pop ebx
        pop eax
        ret

lock_uart:
        push eax
.try:
        mov eax, 1
        xchg eax, [uart_lock]           ; XCHG with memory is always locked
        test eax, eax
        jz .held
        pause
        jmp .try
.held:
        pop eax
        ret

unlock_uart:
        mov dword [uart_lock], 0
        ret

; Polled output: wait for LSR.THRE (transmit holding register empty), then write THR.
putc:
        push eax
        push edx
        mov ah, al
        mov dx, UART_LSR
.wait:
        in al, dx
        test al, 0x20
        jz .wait
        mov al, ah
        mov dx, COM1
        out dx, al
        pop edx
        pop eax
        ret

newline:
        push eax
        mov al, 10
        call putc
        pop eax
        ret

puts:                                   ; ESI = zero-terminated string
        push eax
        push esi
.next:
        lodsb
        test al, al
        jz .end
        call putc
        jmp .next
.end:
        pop esi
        pop eax
        ret

puthex32:                               ; EAX as 0x + 8 hex digits
        push eax
        mov al, '0'
        call putc
        mov al, 'x'
        call putc
        pop eax
puthex32_digits:                        ; EAX as 8 hex digits
        pushad
        mov ecx, 8
.digit:
        rol eax, 4
        mov ebx, eax
        and eax, 0x0F
        mov al, [hex_digits + eax]
        call putc
        mov eax, ebx
        loop .digit
        popad
        ret

putdec:                                 ; EAX unsigned, in decimal
        pushad
        mov ebx, 10
        xor ecx, ecx
.divide:
        xor edx, edx
        div ebx
        push edx
        inc ecx
        test eax, eax
        jnz .divide
.emit:
        pop eax
        add al, '0'
        call putc
        loop .emit
        popad
        ret

; ---------------------------------------------------------------------------------------
; Data

        align 8
gdt:
        dq 0                            ; null
        dq 0x00CF9A000000FFFF           ; 0x08: flat 4 GiB code, 32-bit
        dq 0x00CF92000000FFFF           ; 0x10: flat 4 GiB data
gdt_end:
CODE_SEL equ 0x08
DATA_SEL equ 0x10

gdtr:   dw gdt_end - gdt - 1
        dd gdt
idtr:   dw IDT_ENTRIES * 8 - 1
        dd idt

hex_digits:     db "0123456789abcdef"
msg_banner:     db "mbkernel: multiboot info at ", 0
msg_mem_lower:  db "mem_lower=", 0
msg_mem_upper:  db "KiB mem_upper=", 0
msg_kib_nl:     db "KiB", 10, 0
msg_cmdline:    db "cmdline=", 0
msg_mmap_base:  db "mmap base=", 0
msg_mmap_len:   db " len=", 0
msg_mmap_type:  db " type=", 0
msg_tables:     db "gdt and idt loaded", 10, 0
msg_irq_line:   db "interrupt-driven: this line went out one byte per UART interrupt (IRQ 4)", 10, 0
msg_irq_count:  db "uart interrupts: ", 0
msg_cpu:        db "cpu", 0
msg_up:         db " up", 10, 0
msg_all_up:     db "all cpus up", 10, 0
msg_no_ap:      db "cpu1 did not come up", 10, 0
msg_watchdog:   db 10, "watchdog: the UART interrupts stopped", 10, 0
msg_not_mb:     db "not started by a multiboot loader: eax=", 0
msg_exception:  db 10, "exception ", 0
msg_err:        db " err=", 0
msg_eip:        db " eip=", 0

        align 4
mb_info:        dd 0
tx_next:        dd 0                    ; next byte the UART interrupt sends
uart_irqs:      dd 0
uart_lock:      dd 0
tx_done:        db 0
ap_ready:       db 0
load_end:

        section .bss align=16
idt:            resq IDT_ENTRIES
                resb 4096
bsp_stack_top:
                resb 4096
ap_stack_top:
bss_end:
