; protected: switch from real mode to 32-bit protected mode with our own GDT, then print.
;
; The loader starts us in real mode with CS = DS = ES = SS = 0 at 0x1000, so label
; offsets (org 0x1000) are physical addresses, which the flat segments below keep true.

        bits 16
        org 0x1000

UART    equ 0x3F8
CODE32  equ gdt.code - gdt      ; selector 0x08
DATA32  equ gdt.data - gdt      ; selector 0x10

start:
        cli                     ; no IDT for protected mode yet: nothing may interrupt us
        lgdt [gdt_ptr]
        mov eax, cr0
        or al, 1                ; CR0.PE
        mov cr0, eax
        ; Still running with the real-mode CS cache; the far jump loads CS from the GDT
        ; and makes the 32-bit code segment take effect.
        jmp CODE32:pm_entry

        bits 32
pm_entry:
        mov ax, DATA32          ; every data segment register gets the flat data descriptor
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, 0xFFF0         ; same stack top as the loader gave real mode

        cld
        mov esi, msg
        mov dx, UART
.next:
        lodsb
        test al, al
        jz .done
        out dx, al              ; one IO exit per character
        jmp .next
.done:
        cli
        hlt

; Descriptor layout: limit 15:0, base 23:0, access byte, flags:limit 19:16, base 31:24.
        align 8
gdt:
.null:  dq 0                                    ; selector 0 must be unusable
.code:  dw 0xFFFF, 0x0000                       ; base 0, limit 0xFFFFF (x 4 KiB = 4 GiB)
        db 0x00, 0x9B, 0xCF, 0x00               ; P=1 DPL=0 S=1 type=0xB (code, read, accessed); G=1 D=1
.data:  dw 0xFFFF, 0x0000
        db 0x00, 0x93, 0xCF, 0x00               ; P=1 DPL=0 S=1 type=0x3 (data, write, accessed); G=1 B=1
gdt_end:

gdt_ptr:
        dw gdt_end - gdt - 1    ; limit = size - 1
        dd gdt

msg:    db "Hello from protected mode!", 10, 0
