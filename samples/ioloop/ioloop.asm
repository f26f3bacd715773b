; ioloop: N port writes as fast as the guest can issue them, for benchmarking exit handling.
;
; The count N is data, not code: a little-endian u32 at image offset 4 (guest address
; load + 4 = 0x1004), default 1,000,000. A tool may patch it before the run (kvm_loop
; --count does) without reassembling; 0 means no writes at all.
;
; Each `out 0x80, al` is one IO exit (port 0x80, the PC's POST diagnostic port: nothing
; listens there, so the VMM just drops the byte). The loop counts in ECX, with the 0x66
; operand-size prefix in real mode, so N can be far above 65535.

        bits 16
        org 0x1000

POST    equ 0x80

        jmp short start         ; 2 bytes; offsets 2-3 are padding
        align 4, db 0
count:  dd 1000000              ; offset 4: the iteration count (patchable)

start:
        cli
        mov ecx, [count]
        test ecx, ecx
        jz .done                ; DEC would wrap 0 to 0xFFFFFFFF
        xor al, al
.loop:
        out POST, al            ; the exit being measured
        dec ecx
        jnz .loop
.done:
        cli
        hlt
