; stringio: print a whole string with one instruction, REP OUTSB.
;
; OUTSB sends the byte at DS:SI to port DX and advances SI; REP repeats it CX times.
; KVM emulates the repeated instruction and can hand user space many elements in one
; IO exit (kvm_run.io.count > 1), instead of one exit per byte.

        bits 16
        org 0x1000

UART    equ 0x3F8

start:
        cld                     ; SI counts up
        mov si, msg
        mov cx, msg_len
        mov dx, UART
        rep outsb
        cli
        hlt

msg:    db "Hello from rep outsb: one instruction, one string!", 10
msg_len equ $ - msg
