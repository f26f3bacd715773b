; lowkernel: a multiboot kernel that occupies 0x8000-0xE000, where a loader that writes its boot
; information at a fixed 0x9000 would overwrite it. It checks every byte of its own image, then prints
; the words of the command line the loader gave it (argv[0] is the kernel's name, as GRUB and QEMU
; pass it) and the address of the multiboot information.
;
; Exit status (debug-exit port 0xF4, value v -> (v << 1) | 1):
;  0x10 success, 0x11 not started by a multiboot loader, 0x12 a byte of the image was changed
;
; Build: nasm -f bin -o lowkernel.bin lowkernel.asm

        bits 32
        org 0x8000


%include "multiboot.inc"

entry:  mov esp, 0x7000                 ; below the kernel: the multiboot spec leaves ESP undefined
        cmp eax, 0x2BADB002
        jne .not_mb
        mov ebp, ebx
        ; every pattern byte is still (i * 7 + 3) & 0xFF
        xor ecx, ecx
.check: mov eax, ecx
        imul eax, eax, 7
        add eax, 3
        cmp [pattern + ecx], al
        jne .changed
        inc ecx
        cmp ecx, pattern_end - pattern
        jb .check
        mov esi, msg_ok
        call puts
        mov esi, msg_info
        call puts
        mov eax, ebp
        call puthex
        mov al, 10
        call putc
        ; argv: the command line split at spaces
        mov esi, [ebp + 16]
        xor edi, edi                    ; argument index
.word:  cmp byte [esi], ' '
        jne .start_word
        inc esi
        jmp .word
.start_word:
        cmp byte [esi], 0
        je .done
        push esi
        mov esi, msg_argv
        call puts
        mov eax, edi
        add al, '0'
        call putc
        mov esi, msg_eq
        call puts
        pop esi
.char:  lodsb
        cmp al, ' '
        je .end_word
        test al, al
        jz .last_word
        call putc
        jmp .char
.end_word:
        mov al, 10
        call putc
        inc edi
        jmp .word
.last_word:
        mov al, 10
        call putc
.done:  mov al, 0x10
        out 0xF4, al
        hlt
.not_mb:
        mov al, 0x11
        out 0xF4, al
        hlt
.changed:
        mov esi, msg_changed
        call puts
        lea eax, [pattern + ecx]
        call puthex
        mov al, 10
        call putc
        mov al, 0x12
        out 0xF4, al
        hlt

%include "serial32.inc"

puthex: mov ecx, 8                      ; EAX as 8 hex digits
.digit: rol eax, 4
        push eax
        and al, 0x0F
        add al, '0'
        cmp al, '9'
        jbe .put
        add al, 'a' - '0' - 10
.put:   call putc
        pop eax
        loop .digit
        ret

msg_ok:      db "image intact", 10, 0
msg_info:    db "info=0x", 0
msg_argv:    db "argv[", 0
msg_eq:      db "]=", 0
msg_changed: db "changed at 0x", 0

pattern:
%assign i 0
%rep 0xE000 - 0x8000 - 0x200
        db (i * 7 + 3) & 0xFF
%assign i i + 1
%endrep
pattern_end:
        times 0xE000 - 0x8000 - ($ - $$) db 0x90
load_end:
bss_end:
