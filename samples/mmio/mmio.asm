; mmio: touch guest-physical addresses that no RAM backs, so the accesses reach the VMM.
;
; RAM ends at 2 MiB; 0xD0000000 is far above it. Reaching that address needs 32-bit
; addressing, so we first enter flat 32-bit protected mode (no paging: linear = physical).
; Each access is emulated by KVM and handed to user space as one MMIO exit:
;
;   write  8 bits  0x5A        to 0xD0000000
;   write 16 bits  0xBEEF      to 0xD0000010
;   write 32 bits  0x12345678  to 0xD0000020
;   read  32 bits              from 0xD0000020   (open bus: the VMM answers all ones)
;
; A write is not remembered by anything, so the read does not return 0x12345678.
; We print what the read returned, in hex, then halt.

        bits 16
        org 0x1000

UART    equ 0x3F8
MMIO    equ 0xD0000000

CODE32  equ gdt.code - gdt
DATA32  equ gdt.data - gdt

start:
        cli
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
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, 0xFFF0
        cld

        mov byte  [MMIO + 0x00], 0x5A
        mov word  [MMIO + 0x10], 0xBEEF
        mov dword [MMIO + 0x20], 0x12345678
        mov ebx, [MMIO + 0x20]  ; the VMM fills EBX through the MMIO exit's data field

        mov esi, prefix
        call puts
        mov eax, ebx
        call puthex32
        mov esi, newline
        call puts

        cli
        hlt

; puts: print the zero-terminated string at ESI. Clobbers AL, DX, ESI.
puts:
        mov dx, UART
.next:
        lodsb
        test al, al
        jz .done
        out dx, al
        jmp .next
.done:
        ret

; puthex32: print EAX as 8 hex digits, most significant first. Clobbers EAX, ECX, EDX.
puthex32:
        mov ecx, 8
        mov dx, UART
.digit:
        rol eax, 4              ; bring the next nibble to the bottom
        push eax
        and al, 0x0F
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'A' - '0' - 10
.out:
        out dx, al
        pop eax
        loop .digit
        ret

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

prefix:  db "mmio read 0xD0000020 = 0x", 0
newline: db 10, 0
