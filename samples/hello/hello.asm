; hello: the smallest useful guest. Real mode, one UART write per character, then halt.
;
; The loader starts us in real mode with CS = DS = ES = SS = 0, so a label's
; offset (org 0x1000 = the load address) is also its physical address.

        bits 16
        org 0x1000

UART    equ 0x3F8               ; COM1 data register: each byte written here is printed

start:
        cld                     ; lodsb walks forward (the loader's RFLAGS=2 has DF=0; say so anyway)
        mov si, msg
        mov dx, UART            ; OUT with a DX port: ports above 0xFF need DX anyway
.next:
        lodsb
        test al, al
        jz .done
        out dx, al              ; leaves the guest: one IO exit per character
        jmp .next
.done:
        cli                     ; no interrupt may wake the CPU again...
        hlt                     ; ...so this HLT ends the run

msg:    db "Hello from real mode!", 10, 0
