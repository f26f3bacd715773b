; triplefault: make every exception undeliverable, then raise one.
;
; We switch to 32-bit protected mode first (flat GDT, no IDT yet), print a line, then
; LIDT a table whose limit is 0: no gate fits in it, so delivering any vector fails:
;
;   UD2  -> #UD (vector 6); gate 6 lies beyond the IDT limit
;        -> #GP (vector 13), error code 0x32 = 6 << 3 | 2 ("IDT gate 6")
;   #GP  -> gate 13 lies beyond the limit too; a #GP while delivering a #GP
;        -> #DF (vector 8, double fault)
;   #DF  -> gate 8 lies beyond the limit       -> triple fault: the CPU shuts down
;
; A triple fault is never delivered to the guest: the processor enters shutdown, which
; under VT-x is a TRIPLE_FAULT VM exit and in KVM a KVM_EXIT_SHUTDOWN to user space.
; Nothing after UD2 runs; there is no HLT.
;
; UD2 rather than INT n: an exception the CPU raises itself, not a software interrupt
; (and not INT3, which a debugger using software breakpoints would take for its own).

        bits 16
        org 0x1000

UART    equ 0x3F8
CODE32  equ gdt.code - gdt
DATA32  equ gdt.data - gdt

start:
        cli                     ; external interrupts off; exceptions cannot be masked
        lgdt [gdt_ptr]
        mov eax, cr0
        or al, 1                ; CR0.PE
        mov cr0, eax
        jmp CODE32:pm_entry

        bits 32
pm_entry:
        mov ax, DATA32
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 0xFFF0
        cld

        mov esi, msg
        mov dx, UART
.next:
        lodsb
        test al, al
        jz .done
        out dx, al
        jmp .next
.done:
        lidt [empty_idt]
        ud2                     ; the architecturally undefined instruction: raises #UD
.unreachable:
        jmp .unreachable        ; the CPU is shut down before it gets here

        align 8
gdt:
.null:  dq 0
.code:  dw 0xFFFF, 0x0000
        db 0x00, 0x9B, 0xCF, 0x00               ; flat 4 GiB code, 32-bit (D=1), G=1
.data:  dw 0xFFFF, 0x0000
        db 0x00, 0x93, 0xCF, 0x00               ; flat 4 GiB data, G=1, B=1
gdt_end:

gdt_ptr:
        dw gdt_end - gdt - 1
        dd gdt

empty_idt:
        dw 0                    ; limit 0: not even the first 8-byte gate fits
        dd 0                    ; base

msg:    db "Empty IDT, then UD2: expect a triple fault", 10, 0
