; msr: RDMSR and WRMSR from real mode (CPL 0, so they are allowed without protected mode).
;
;   1. read IA32_TSC (0x10) twice and check that time moved forward
;   2. write IA32_SYSENTER_CS  (0x174) = 0x00000008, read it back
;   3. write IA32_SYSENTER_ESP (0x175) = 0x12345678, read it back
;
; The output is deterministic: TSC values are never printed, only whether the second read
; was larger. Expected output:
;
;   tsc ok
;   sysenter_cs=0x00000008
;   sysenter_esp=0x12345678

        bits 16
        org 0x1000

UART            equ 0x3F8
IA32_TSC        equ 0x10
SYSENTER_CS     equ 0x174
SYSENTER_ESP    equ 0x175

start:
        cli
        cld

        ; RDMSR returns the 64-bit value in EDX:EAX.
        mov ecx, IA32_TSC
        rdmsr
        mov esi, eax            ; keep the first read in EDI:ESI
        mov edi, edx
        mov ecx, IA32_TSC
        rdmsr
        ; second - first, 64-bit: positive and non-zero means the TSC advanced
        sub eax, esi
        sbb edx, edi
        jb .tsc_bad             ; borrow: the second read was smaller
        or eax, edx
        jz .tsc_bad             ; equal: not larger
        mov si, tsc_ok
        jmp .tsc_print
.tsc_bad:
        mov si, tsc_bad
.tsc_print:
        call puts

        ; WRMSR takes the 64-bit value in EDX:EAX too; the upper halves here are zero.
        mov ecx, SYSENTER_CS
        xor edx, edx
        mov eax, 0x00000008
        wrmsr
        xor eax, eax            ; so the printed value can only come from RDMSR
        rdmsr
        mov si, cs_label
        call puts
        call puthex32
        call newline

        mov ecx, SYSENTER_ESP
        xor edx, edx
        mov eax, 0x12345678
        wrmsr
        xor eax, eax
        rdmsr
        mov si, esp_label
        call puts
        call puthex32
        call newline

        cli
        hlt

; puts: print the zero-terminated string at DS:SI. Clobbers AL, DX, SI.
puts:
        push ax
        mov dx, UART
.next:
        lodsb
        test al, al
        jz .done
        out dx, al
        jmp .next
.done:
        pop ax
        ret

newline:
        mov dx, UART
        mov al, 10
        out dx, al
        ret

; puthex32: print EAX as "0x" and 8 hex digits. Clobbers EAX, CX, DX.
puthex32:
        mov dx, UART
        push eax
        mov al, '0'
        out dx, al
        mov al, 'x'
        out dx, al
        pop eax
        mov cx, 8
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

tsc_ok:    db "tsc ok", 10, 0
tsc_bad:   db "tsc did not advance", 10, 0
cs_label:  db "sysenter_cs=", 0
esp_label: db "sysenter_esp=", 0
