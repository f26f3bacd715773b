; smp: two vCPUs run this same code and take turns on the UART.
;
; There is no APIC to start application processors, so every vCPU begins here, in real
; mode, with the same registers. CPUID leaf 1 tells them apart: EBX[31:24] is the
; initial APIC ID, which the machine sets to the vCPU index.
;
; A shared byte in memory, `turn`, says whose line comes next. A vCPU spins (with PAUSE)
; until turn equals its index, prints one line, then passes the turn on:
;
;   cpu0: ping 1      cpu1: pong 1      cpu0: ping 2      ...      cpu1: pong 3
;
; `turn` starts at 0 because it is part of the image: no vCPU initialises it, since a
; late vCPU would wipe out a turn already handed over.

        bits 16
        org 0x1000

UART    equ 0x3F8
NCPUS   equ 2                   ; the turn goes round this many vCPUs
ROUNDS  equ 3                   ; lines per vCPU

start:
        cli
        cld
        mov eax, 1
        cpuid                   ; EBX[31:24] = initial APIC ID = vCPU index
        shr ebx, 24
        cmp bx, NCPUS
        jae halt                ; a vCPU beyond NCPUS has no turn: stay out of the way

        ; A stack of its own for each vCPU (1 KiB each below 0xF000): they share all of RAM,
        ; so two vCPUs calling with one SP would overwrite each other's return addresses.
        mov ax, bx
        shl ax, 10
        mov sp, 0xF000
        sub sp, ax

        mov cx, ROUNDS
        mov bp, '1'             ; round number, as an ASCII digit
round:
.wait:
        pause                   ; tells the CPU (and the hypervisor) this is a spin loop
        cmp [turn], bl          ; plain load: x86 keeps stores in order, no fence needed
        jne .wait

        call print_line

        ; Hand the turn to the next vCPU. XCHG with memory is always locked: a full barrier,
        ; so our UART output is done before the other vCPU can see its turn.
        mov al, bl
        inc al
        cmp al, NCPUS
        jb .store
        xor al, al
.store:
        xchg [turn], al

        inc bp
        loop round

halt:
        cli
        hlt

; print_line: "cpu<index>: ping|pong <round>\n" for vCPU BL in round BP. Clobbers AX, DX, SI.
print_line:
        mov dx, UART
        mov si, cpu_text
        call puts
        mov al, bl
        add al, '0'
        out dx, al
        mov si, ping_text
        test bl, 1              ; even vCPUs ping, odd ones pong
        jz .word
        mov si, pong_text
.word:
        call puts
        mov ax, bp
        out dx, al
        mov al, 10
        out dx, al
        ret

; puts: print the zero-terminated string at SI to port DX. Clobbers AL, SI.
puts:
        lodsb
        test al, al
        jz .done
        out dx, al
        jmp puts
.done:
        ret

cpu_text:  db "cpu", 0
ping_text: db ": ping ", 0
pong_text: db ": pong ", 0

turn:   db 0                    ; index of the vCPU whose line comes next
