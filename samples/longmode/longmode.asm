; longmode: from real mode straight into 64-bit long mode, then print.
;
; Long mode needs paging, and paging in long mode needs 4-level tables (PAE format).
; We identity map the first 2 MiB (all of the guest's RAM) with one 2 MiB page:
;
;   CR3 -> PML4[0] -> PDPT[0] -> PD[0] = 2 MiB page at physical 0
;
; Order matters: CR4.PAE and EFER.LME first, then CR0.PG (with PE) turns long mode on and
; the CPU sets EFER.LMA. We are then in compatibility mode until a far jump loads a code
; segment with L=1.
;
; The tables sit below 64 KiB so real-mode code (DS = 0, 16-bit offsets) can write them.

        bits 16
        org 0x1000

UART    equ 0x3F8
PML4    equ 0x8000              ; each table 4 KiB aligned, below the stack at 0xFFF0
PDPT    equ 0x9000
PD      equ 0xA000

P       equ 1 << 0              ; present
RW      equ 1 << 1              ; writable
PS      equ 1 << 7              ; in a PD entry: maps a 2 MiB page

EFER    equ 0xC0000080
LME     equ 1 << 8

CODE64  equ gdt.code - gdt      ; 0x08
DATA    equ gdt.data - gdt      ; 0x10

start:
        cli                     ; no IDT for long mode: nothing may interrupt us
        cld

        ; Zero the three tables (3 x 4 KiB) so every entry we do not set is "not present".
        mov di, PML4
        xor eax, eax
        mov cx, 3 * 4096 / 4
        rep stosd
        mov dword [PML4], PDPT | P | RW
        mov dword [PDPT], PD | P | RW
        mov dword [PD], 0 | PS | P | RW

        lgdt [gdt_ptr]

        mov eax, cr4
        or eax, 1 << 5          ; CR4.PAE
        mov cr4, eax
        mov eax, PML4
        mov cr3, eax

        mov ecx, EFER
        rdmsr
        or eax, LME             ; long mode enable; active (LMA) only once paging is on
        wrmsr

        mov eax, cr0
        or eax, (1 << 31) | 1   ; CR0.PG | CR0.PE in one write: real mode -> long mode
        mov cr0, eax

        jmp CODE64:long_entry   ; loads CS with L=1: 64-bit mode from here

        bits 64
long_entry:
        mov ax, DATA            ; DS/ES/SS bases are ignored in 64-bit mode, but a null SS
        mov ds, ax              ; or stale real-mode values make poor reading in a debugger
        mov es, ax
        mov ss, ax
        mov rsp, 0xFFF0

        lea rsi, [rel msg]
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

        align 8
gdt:
.null:  dq 0
.code:  dw 0xFFFF, 0x0000       ; base and limit are ignored in 64-bit mode
        db 0x00, 0x9B, 0xAF, 0x00       ; P=1 DPL=0 S=1 type=0xB; G=1 L=1 (D must be 0 when L=1)
.data:  dw 0xFFFF, 0x0000
        db 0x00, 0x93, 0xCF, 0x00       ; flat data, G=1 B=1
gdt_end:

gdt_ptr:
        dw gdt_end - gdt - 1
        dd gdt

msg:    db "Hello from long mode!", 10, 0
