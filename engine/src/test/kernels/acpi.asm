; acpi: a multiboot kernel that finds the machine through ACPI as a kernel does: it searches the BIOS
; area for the RSDP, checks every table's checksum on the way (RSDP, RSDT, XSDT, FADT, DSDT, MADT),
; counts the enabled local APICs and the I/O APICs in the MADT, reads the PM timer the FADT names twice
; and checks it advanced, then powers the machine off through the PM1a control block (SLP_TYP from the
; DSDT's _S5 package is 0 here: the kernel does not run AML, it trusts the value QEMU's q35 uses).
;
; Output: "cpus=N ioapics=M pmtimer advanced" then the power-off ends the run.
; Exit status on failure (debug-exit port 0xF4, value v -> (v << 1) | 1):
;  0x11 no RSDP, 0x12 a bad checksum (its signature printed first), 0x13 a table missing,
;  0x14 the PM timer did not advance, 0x15 the power-off did not happen
;
; Build: nasm -f bin -o acpi.bin acpi.asm

        bits 32
        org 0x100000


%include "multiboot.inc"

entry:  mov esp, stack_top
        cld
; ---- the RSDP: "RSD PTR " on a 16-byte boundary in 0xE0000-0xFFFFF, 20 bytes summing to zero
        mov esi, 0xE0000
.scan:  cmp dword [esi], 'RSD '
        jne .next
        cmp dword [esi + 4], 'PTR '
        jne .next
        mov ecx, 20
        call sum
        test al, al
        jz .found
.next:  add esi, 16
        cmp esi, 0x100000
        jb .scan
        mov al, 0x11
        jmp fail
.found: mov [rsdp], esi
        mov ecx, 36                     ; ACPI 2.0: the extended checksum covers all 36 bytes
        call sum
        test al, al
        jnz bad_rsdp
        mov esi, [esi + 24]             ; XsdtAddress (low half: it is below 4 GiB)
        call check_table
        cmp dword [esi], 'XSDT'
        jne missing
        mov esi, [rsdp]
        mov esi, [esi + 16]             ; RsdtAddress
        call check_table
        cmp dword [esi], 'RSDT'
        jne missing
; ---- the RSDT's entries: 4-byte addresses after the 36-byte header
        mov ebx, esi
        mov edi, esi
        add edi, [esi + 4]
        add ebx, 36
.entry: cmp ebx, edi
        jae .entries_done
        mov esi, [ebx]
        call check_table
        cmp dword [esi], 'APIC'
        jne .not_madt
        mov [madt], esi
.not_madt:
        cmp dword [esi], 'FACP'
        jne .not_fadt
        mov [fadt], esi
.not_fadt:
        add ebx, 4
        jmp .entry
.entries_done:
        cmp dword [madt], 0
        je missing
        cmp dword [fadt], 0
        je missing
        mov esi, [fadt]
        mov esi, [esi + 40]             ; DSDT
        call check_table
        cmp dword [esi], 'DSDT'
        jne missing
        mov esi, [fadt]
        mov esi, [esi + 36]             ; FIRMWARE_CTRL: the FACS (no checksum)
        cmp dword [esi], 'FACS'
        jne missing
; ---- the MADT: entries after 44 bytes, each [type, length, ...]
        mov esi, [madt]
        mov edi, esi
        add edi, [esi + 4]
        add esi, 44
        xor ebx, ebx                    ; enabled local APICs
        xor ebp, ebp                    ; I/O APICs
.madt:  cmp esi, edi
        jae .madt_done
        cmp byte [esi], 0
        jne .not_lapic
        test byte [esi + 4], 1
        jz .not_lapic
        inc ebx
.not_lapic:
        cmp byte [esi], 1
        jne .not_ioapic
        inc ebp
.not_ioapic:
        movzx eax, byte [esi + 1]
        test eax, eax
        jz missing                      ; a zero length would loop forever
        add esi, eax
        jmp .madt
.madt_done:
        mov esi, msg_cpus
        call puts
        mov eax, ebx
        call putdec
        mov esi, msg_ioapics
        call puts
        mov eax, ebp
        call putdec
; ---- the PM timer, twice
        mov esi, [fadt]
        mov edx, [esi + 76]             ; PM_TMR_BLK
        in eax, dx
        mov ebx, eax
        mov ecx, 100000
.wait:  loop .wait
        in eax, dx
        sub eax, ebx
        and eax, 0xFFFFFF               ; a 24-bit counter may wrap
        jz .still
        mov esi, msg_timer
        call puts
; ---- power off: PM1a_CNT.SLP_EN with SLP_TYP 0
        mov esi, [fadt]
        mov edx, [esi + 64]             ; PM1a_CNT_BLK
        mov ax, 1 << 13
        out dx, ax
        mov al, 0x15
        jmp fail
.still: mov al, 0x14
        jmp fail

bad_rsdp:
        mov esi, [rsdp]
bad:    mov ecx, 4                      ; print the table's signature
.sig:   lodsb
        call putc
        loop .sig
        mov esi, msg_bad
        call puts
        mov al, 0x12
        jmp fail
missing:
        mov al, 0x13
fail:   out 0xF4, al
        hlt

; ESI: a table; its Length bytes must sum to zero. Keeps ESI, EBX, EDI.
check_table:
        mov ecx, [esi + 4]
        cmp ecx, 36
        jb bad
        call sum
        test al, al
        jnz bad
        ret

; AL = the sum of ECX bytes from ESI. Keeps ESI.
sum:    push esi
        xor eax, eax
.add:   add al, [esi]
        inc esi
        loop .add
        pop esi
        ret

%include "serial32.inc"

putdec: mov ecx, 10                     ; EAX below 100
        xor edx, edx
        div ecx
        test eax, eax
        jz .ones
        add al, '0'
        call putc
.ones:  mov al, dl
        add al, '0'
        jmp putc

msg_cpus:    db "cpus=", 0
msg_ioapics: db " ioapics=", 0
msg_timer:   db 10, "pmtimer advanced", 10, 0
msg_bad:     db ": bad checksum", 10, 0

load_end:
rsdp:   dd 0
madt:   dd 0
fadt:   dd 0
        align 16
        times 1024 db 0
stack_top:
bss_end:
