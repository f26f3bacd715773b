; spin: say so, then loop forever without leaving the guest.
;
; After the last OUT there is nothing here that exits to the VMM: JMP $ is an ordinary
; instruction, so the vCPU stays inside KVM_RUN indefinitely. A debugger can only stop it
; from outside: set kvm_run.immediate_exit and kick the vCPU thread out of KVM_RUN with a
; signal (KVM_RUN then fails with EINTR). This is the guest to prove that pause works on.

        bits 16
        org 0x1000

UART    equ 0x3F8

start:
        cli                     ; no interrupts either: only the VMM can stop us
        cld
        mov si, msg
        mov dx, UART
.next:
        lodsb
        test al, al
        jz spin
        out dx, al
        jmp .next

spin:
        jmp spin                ; JMP $ (EB FE): two bytes, the same address forever

msg:    db "spinning", 10, 0
