/* Entry and VM-entry glue of the x86 EPT oracle harness (see harness.c). */
    .section .note.GNU-stack, "", @progbits
    .section .text.entry
    .globl _entry
_entry:
    mov $0x9e000, %rsp             /* stack: 0x80000..0x9e000 (below the marker page 0x9f000) */
    call main
1:  hlt
    jmp 1b

/* int vm_run(int resume): VMLAUNCH (resume = 0) or VMRESUME the guest with RAX = guest_rax.
 * Returns 0 after a VM exit (HOST_RIP = vm_exit_stub stores the guest's RAX in guest_rax),
 * -1 if the VM entry itself failed. Callee-saved registers survive through HOST_RSP. */
    .text
    .globl vm_run
vm_run:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov $0x6c14, %rdx              /* VMCS field HOST_RSP */
    vmwrite %rsp, %rdx
    mov guest_rax(%rip), %rax
    test %edi, %edi
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    mov $-1, %eax
    ret
    .globl vm_exit_stub
vm_exit_stub:
    mov %rax, guest_rax(%rip)
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    xor %eax, %eax
    ret
/* Bochs magic breakpoint (magic_break: enabled=1): stops in the debugger, whose rc file
 * continues (`c`), switches trace-mem on, or quits. */
    .globl magic_break
magic_break:
    xchg %bx, %bx
    ret
