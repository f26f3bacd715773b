; A two-vCPU real-mode demo guest for the UI tests and the screenshot (nasm -f bin demo.asm -o demo.bin).
; Each vCPU finds its index with CPUID leaf 1 (EBX[31:24] = initial APIC ID), then prints its greeting three
; times through the UART, polling the line status register before every byte (IN 0x3FD, OUT 0x3F8), writes
; one byte past the end of RAM after each line (an MMIO exit on a 512 KiB machine), and halts.
; Load at 0x1000, 2 vCPUs, memory 512K.
bits 16
org 0x1000
start:
    mov eax, 1
    cpuid
    shr ebx, 24            ; bl = vCPU index
    mov si, msg0
    test bl, bl
    jz have_msg
    mov si, msg1
have_msg:
    mov di, si             ; no stack: both vCPUs share the loader's SP
    mov cx, 3
line:
    mov si, di
next:
    mov dx, 0x3fd          ; LSR: wait until the transmitter is empty
    in al, dx
    test al, 0x20
    jz next
    lodsb
    test al, al
    jz eol
    mov dx, 0x3f8
    out dx, al
    jmp next
eol:
    mov ax, 0x9000         ; 0x90000 + 0x8000 is past the end of a 512 KiB RAM: MMIO
    mov es, ax
    mov [es:0x8000], bl
    loop line
    hlt
msg0: db "Hello from vCPU 0!", 10, 0
msg1: db "vCPU 1 says hi.", 10, 0
