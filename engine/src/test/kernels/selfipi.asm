; selfipi: a multiboot kernel that sends itself 50 fixed IPIs (vector 0x40) through the xAPIC ICR with the
; "self" shorthand, alternately waiting for each by polling with interrupts on and by STI; HLT, and
; prints how many were lost ("lost=N"). A third-party kernel once saw self-IPIs lost on two-vCPU
; machines under vmscope; this is the regression check. The handler returns with POPFD + RETF: PVM
; hosts cannot emulate IRET outside real mode (see samples/mbkernel).
;
; Build: nasm -f bin -o selfipi.bin selfipi.asm

        bits 32
        org 0x100000

LAPIC   equ 0xFEE00000
VECTOR  equ 0x40
ROUNDS  equ 50

%include "multiboot.inc"

entry:  mov esp, stack_top
        mov al, 0xFF                    ; mask both 8259s: only the local APIC interrupts
        out 0x21, al
        out 0xA1, al
        mov eax, handler                ; an interrupt gate for VECTOR, through the loader's CS 0x08
        mov [idt + VECTOR * 8], ax
        mov word [idt + VECTOR * 8 + 2], 0x08
        mov word [idt + VECTOR * 8 + 4], 0x8E00
        shr eax, 16
        mov [idt + VECTOR * 8 + 6], ax
        lidt [idtr]
        mov dword [LAPIC + 0xF0], 0x1FF ; SVR: APIC on, spurious vector 0xFF
        mov dword [LAPIC + 0x80], 0     ; TPR: accept every priority
        xor edi, edi                    ; IPIs lost
        mov ebp, ROUNDS
.round: mov byte [flag], 0
        mov dword [LAPIC + 0x300], VECTOR | (1 << 18)   ; fixed, shorthand self
        test ebp, 1
        jz .poll
        sti                             ; the IPI is pending: it must wake the HLT
        hlt
.poll:  sti
        mov edx, 2000000
.wait:  cmp byte [flag], 0
        jne .next
        pause
        dec edx
        jnz .wait
        inc edi
.next:  cli
        dec ebp
        jnz .round

        mov esi, msg_lost
        call puts
        mov eax, edi
        mov cl, 10
        div cl                          ; AL tens, AH ones
        add ax, '00'
        call putc
        mov al, ah
        call putc
        mov al, 10
        call putc
        mov al, 0x10
        out 0xF4, al
        hlt

handler:
        mov byte [flag], 1
        mov dword [LAPIC + 0xB0], 0     ; EOI
        push eax                        ; IRET's work as POPFD + RETF: (EIP, CS, EFLAGS) -> (EFLAGS, EIP, CS)
        push ebx
        mov eax, [esp + 8]
        mov ebx, [esp + 16]
        mov [esp + 8], ebx
        mov ebx, [esp + 12]
        mov [esp + 12], eax
        mov [esp + 16], ebx
        pop ebx
        pop eax
        popfd
        retf

%include "serial32.inc"

msg_lost: db "lost=", 0
idtr:   dw (VECTOR + 1) * 8 - 1
        dd idt
load_end:
flag:   db 0
        align 8
idt:    times (VECTOR + 1) * 8 db 0
        align 16
        times 1024 db 0
stack_top:
bss_end:
