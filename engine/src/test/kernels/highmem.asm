; highmem: a 64-bit flat guest for a machine with 3 GiB of RAM, laid out as QEMU's q35 does it: 2 GiB
; below the PCI hole (0x80000000-0xFFFFFFFF) and 1 GiB remapped to 0x100000000-0x13FFFFFFF.
; Below 4 GiB it relies on the loader's identity map (all 4 GiB, 2 MiB pages); it maps 4-5 GiB with a page
; directory of its own,
; writes a pattern on both sides of the hole, reads it back, and reads the hole's first word (MMIO,
; all ones). Prints a line per check.
;
; Exit status (debug-exit port 0xF4, value v -> (v << 1) | 1): 0x10 success, 0x12 a pattern was wrong
;
; Build: nasm -f bin -o highmem.bin highmem.asm

        bits 64
        org 0x1000

COM1    equ 0x3F8
LOW_LAST  equ 0x7FFFFFF8            ; the last qword below the hole
HOLE      equ 0x80000000
HIGH_FIRST equ 0x100000000          ; the first qword above 4 GiB
HIGH_LAST equ 0x13FFFFFF8           ; the last qword of RAM
PATTERN_A equ 0x1122334455667788
PATTERN_B equ 0x99AABBCCDDEEFF00

start:  mov rsp, stack_top
        mov rbx, cr3                ; the loader's PML4
        mov rbx, [rbx]              ; PML4[0] -> PDPT
        and rbx, ~0xFFF
        mov rdx, HIGH_FIRST | 0x83  ; present, writable, 2 MiB page
        lea rdi, [pd_4g]
        call fill_pd
        lea rax, [pd_4g + 3]
        mov [rbx + 4 * 8], rax      ; PDPT[4]: 4-5 GiB
        mov rax, cr3
        mov cr3, rax                ; flush the TLB

        mov rax, PATTERN_A
        mov rdx, PATTERN_B
        mov rsi, LOW_LAST
        mov [rsi], rax
        mov rdi, HIGH_FIRST
        mov [rdi], rdx
        mov rcx, HIGH_LAST
        mov [rcx], rax
        cmp [rsi], rax
        jne bad
        cmp [rdi], rdx
        jne bad
        cmp [rcx], rax
        jne bad
        lea rsi, [msg_ram]
        call puts
        mov rsi, HOLE
        mov eax, [rsi]              ; not RAM: an MMIO exit, read as all ones
        cmp eax, 0xFFFFFFFF
        jne bad
        lea rsi, [msg_hole]
        call puts
        mov al, 0x10
        out 0xF4, al
        hlt
bad:    lea rsi, [msg_bad]
        call puts
        mov al, 0x12
        out 0xF4, al
        hlt

fill_pd:                            ; RDI: 512 entries from RDX on, 2 MiB apart
        xor ecx, ecx
.next:  mov [rdi + rcx * 8], rdx
        add rdx, 0x200000
        inc ecx
        cmp ecx, 512
        jb .next
        ret

puts:   mov dx, COM1
.next:  lodsb
        test al, al
        jz .end
        out dx, al
        jmp .next
.end:   ret

msg_ram:  db "both sides of the hole hold their bytes", 10, 0
msg_hole: db "the hole reads as all ones", 10, 0
msg_bad:  db "wrong bytes", 10, 0

        align 16
        times 256 db 0
stack_top:
        align 4096
pd_4g:  times 4096 db 0
