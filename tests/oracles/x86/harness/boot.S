/* Boot sector of the x86 EPT oracle (tests/oracles/x86). BIOS loads it at 0x7c00 from the
 * floppy image. It enables A20, builds an identity map of the first 1 GiB with 2 MiB pages
 * (PML4 0x1000, PDPT 0x2000, PD 0x3000), enters long mode directly from real mode and jumps to
 * the harness, which bochsrc's optramimage1 placed at 0x10000. Contract with harness.c: GDT
 * selectors 0x08 = 64-bit code, 0x10 = data, 0x18 = busy TSS at base 0; interrupts stay off. */
    .code16
    .globl _start
_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7c00, %sp
    in $0x92, %al                  /* fast A20 gate */
    or $2, %al
    and $0xfe, %al
    out %al, $0x92
    mov $0x1000, %di               /* clear the three table pages */
    xor %eax, %eax
    mov $(3 * 1024), %cx
    rep stosl
    movl $0x2003, 0x1000           /* PML4[0] -> PDPT, present + writable */
    movl $0x3003, 0x2000           /* PDPT[0] -> PD */
    mov $0x3000, %di
    mov $0x83, %eax                /* present + writable + 2 MiB page */
    mov $512, %cx
1:  movl %eax, (%di)
    add $0x200000, %eax
    add $8, %di
    loop 1b
    lgdt gdt_desc
    mov %cr4, %eax
    or $0x20, %eax                 /* CR4.PAE */
    mov %eax, %cr4
    mov $0x1000, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx          /* EFER.LME */
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    or $0x80000021, %eax           /* CR0.PG | NE | PE */
    mov %eax, %cr0
    ljmp $0x08, $long_mode
    .code64
long_mode:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    mov $0x9e000, %rsp
    mov $0x10000, %rax
    jmp *%rax
    .balign 8
gdt:
    .quad 0
    .quad 0x00af9a000000ffff       /* 0x08: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff       /* 0x10: flat data */
    .quad 0x00008b0000000067       /* 0x18: busy 64-bit TSS, base 0 (VM exits need a TR) */
    .quad 0
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt
    .org 510
    .byte 0x55, 0xaa
