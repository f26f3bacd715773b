; paging32: protected mode plus 32-bit paging, and proof that the page tables are in use:
; the message is printed through an alias address that only the page tables make valid.
;
;   page directory entry 0 -> a page table: 0..4 MiB identity mapped with 4 KiB pages
;   page directory entry 1 -> one 4 MiB page (CR4.PSE): 4..8 MiB maps to physical 0..4 MiB
;
; Guest RAM ends at 2 MiB, so without paging the alias (msg + 4 MiB) would be MMIO and
; read as 0xFF bytes. The string is printed with a length, so that failure shows as
; garbage instead of a loop that never ends.

        bits 16
        org 0x1000

UART    equ 0x3F8
PD      equ 0x8000              ; page directory (4 KiB aligned, below the stack at 0xFFF0)
PT      equ 0x9000              ; page table for the first 4 MiB
ALIAS   equ 0x400000            ; virtual 4 MiB -> physical 0

PTE_P   equ 1 << 0              ; present
PTE_RW  equ 1 << 1              ; writable
PDE_PS  equ 1 << 7              ; this PDE maps a 4 MiB page itself

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

        ; Page table: 1024 entries, entry i maps virtual i*4K to physical i*4K.
        mov edi, PT
        mov eax, PTE_P | PTE_RW
        mov ecx, 1024
.fill:
        stosd
        add eax, 0x1000
        loop .fill

        ; Page directory: entry 0 points at the table, entry 1 is a 4 MiB page at 0,
        ; the other 1022 entries are not present.
        mov edi, PD
        xor eax, eax
        mov ecx, 1024
        rep stosd
        mov dword [PD + 0], PT | PTE_P | PTE_RW
        mov dword [PD + 4], 0 | PDE_PS | PTE_P | PTE_RW

        mov eax, cr4
        or eax, 1 << 4          ; CR4.PSE: lets a PDE map a 4 MiB page
        mov cr4, eax
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        or eax, 1 << 31         ; CR0.PG: from the next instruction on, addresses are virtual
        mov cr0, eax
        ; The identity map of 0..4 MiB keeps this code where it was.

        mov esi, msg + ALIAS    ; read the text through the 4 MiB alias
        mov ecx, msg_len
        mov dx, UART
.next:
        lodsb
        out dx, al
        loop .next

        cli
        hlt

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

msg:    db "Hello from paged protected mode (read via 0x0040xxxx)!", 10
msg_len equ $ - msg
