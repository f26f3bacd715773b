; symbols: a 32-bit ELF kernel with a symbol table, so debuggers can name its code.
;
; The whole file is one ELF executable written out byte by byte (nasm -f bin, no linker): an ELF header,
; one PT_LOAD segment that maps the file at 1 MiB, the code, and section headers for .text, .symtab and
; .strtab. vmscope's ELF loader starts it in 32-bit protected mode at `start`; vmscope and gdb read the same
; symbol table, so the exit list says `putc+0x5` where a plain kernel shows a bare address, and gdb can
; `break putc`.
;
; What it does: main prints a greeting and three ticks through puts, which calls putc once per byte; putc
; writes the byte to the UART (one IO exit each). Then it ends the run through the debug-exit port with
; status 33 (a kernel runs on a PC, where a HLT with interrupts off would wait forever).

        bits 32
        org 0x100000

UART    equ 0x3F8
DEBUG_EXIT equ 0xF4                     ; writing v ends the run with status (v << 1) | 1

ehdr:   db 0x7F, "ELF", 1, 1, 1, 0      ; 32-bit, little-endian, ELF version 1, System V ABI
        times 8 db 0
        dw 2                            ; e_type: ET_EXEC
        dw 3                            ; e_machine: EM_386
        dd 1                            ; e_version
        dd start                        ; e_entry
        dd phdr - $$                    ; e_phoff
        dd shdrs - $$                   ; e_shoff
        dd 0                            ; e_flags
        dw 52, 32, 1                    ; e_ehsize, e_phentsize, e_phnum
        dw 40, 5, 4                     ; e_shentsize, e_shnum, e_shstrndx (.shstrtab)

phdr:   dd 1                            ; PT_LOAD: the whole file at 1 MiB, as it is laid out here
        dd 0, $$, $$                    ; p_offset, p_vaddr, p_paddr
        dd file_end - $$, file_end - $$ ; p_filesz, p_memsz
        dd 7, 0x1000                    ; p_flags (RWX), p_align

        align 16
start:
        mov esp, stack_top
        call main
halt:
        mov al, 16
        out DEBUG_EXIT, al              ; status 33
        jmp halt

main:
        mov esi, greeting
        call puts
        mov ecx, 3
.tick:
        push ecx
        mov esi, tick
        call puts
        pop ecx
        loop .tick
        ret

puts:                                   ; esi: a NUL-terminated string
        lodsb
        test al, al
        jz .done
        call putc
        jmp puts
.done:
        ret

putc:                                   ; al: one byte for the UART
        mov dx, UART
        out dx, al                      ; the IO exit: RIP is putc+0x5 after it
        ret
text_end:

greeting: db "Hello from an ELF kernel with symbols", 10, 0
tick:   db "tick", 10, 0
greeting_end:

        align 16
        times 256 db 0                  ; the stack
stack_top:

; ---- symbols: what vmscope and gdb read ----

%macro func 3                           ; name string, address, size
        dd %1 - strtab
        dd %2, %3
        db 0x12, 0                      ; STB_GLOBAL, STT_FUNC
        dw 1                            ; in .text
%endmacro

        align 4
symtab: times 16 db 0                   ; symbol 0 is always empty
        func s_start, start, halt - start
        func s_halt, halt, main - halt
        func s_main, main, puts - main
        func s_puts, puts, putc - puts
        func s_putc, putc, text_end - putc
        dd s_greeting - strtab, greeting, tick - greeting
        db 0x11, 0                      ; STB_GLOBAL, STT_OBJECT
        dw 1
symtab_end:

strtab: db 0
s_start: db "start", 0
s_halt: db "halt", 0
s_main: db "main", 0
s_puts: db "puts", 0
s_putc: db "putc", 0
s_greeting: db "greeting", 0
strtab_end:

shstrtab: db 0
n_text: db ".text", 0
n_symtab: db ".symtab", 0
n_strtab: db ".strtab", 0
n_shstrtab: db ".shstrtab", 0
shstrtab_end:

%macro section_header 10                ; name type flags addr offset size link info align entsize
        dd %1, %2, %3, %4, %5, %6, %7, %8, %9, %10
%endmacro

        align 4
shdrs:  times 40 db 0
        section_header n_text - shstrtab, 1, 6, start, start - $$, greeting_end - start, 0, 0, 16, 0
        section_header n_symtab - shstrtab, 2, 0, 0, symtab - $$, symtab_end - symtab, 3, 1, 4, 16
        section_header n_strtab - shstrtab, 3, 0, 0, strtab - $$, strtab_end - strtab, 0, 0, 1, 0
        section_header n_shstrtab - shstrtab, 3, 0, 0, shstrtab - $$, shstrtab_end - shstrtab, 0, 0, 1, 0
file_end:
