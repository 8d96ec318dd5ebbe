/* x86-64 VMX/EPT probe harness for Bochs 2.7 (tests/oracles/x86).
 *
 * Runs in 64-bit host mode (boot.S identity-maps the first 1 GiB). Everything test-specific
 * comes from a disk image on the first ATA disk (ata0-master), written by emulate.py:
 *
 *   LBA 0..dir_sectors-1  directory (struct dir below), read to DIR = 0x20000 (max 384 KiB)
 *   further sectors       segment contents, each starting on a sector boundary
 *
 * Order of work: fill the tag windows (every 8-byte word holds its own address, so a load
 * from a final page returns the final host-physical address), then copy every segment from
 * disk to its host-physical address (segments win over tags), then set up one VMCS with EPT
 * (EPTP from the directory) and a guest at CPL 0 that is either
 *   mode 1: 64-bit with 4-level paging (CR0/CR3/CR4/EFER from the directory), or
 *   mode 0: 32-bit protected mode without paging (unrestricted guest; stage-2-only images).
 * Per probe: INVEPT (all contexts), write the marker 0x4b52414d_<index> to 0x9f000 (emulate.py
 * splits the trace-mem log there), set guest RIP = stub_gva + stub offset and guest RSP = probe
 * address, VM entry. The stub (placed by emulate.py in the stub page) is
 *   mode 1, R (+0):  mov %rsp,%rcx; mov (%rcx),%rax; vmcall
 *   mode 1, W (+16): mov %rsp,%rcx; xchg %rax,(%rcx); mov %rax,(%rcx); vmcall
 *   mode 0, R (+32), W (+48): the same with 32-bit registers
 * (a write probe is a locked read-modify-write that puts the old value back, so memory is
 * unchanged apart from accessed/dirty flags and RAX returns the tag). Each VM exit is printed:
 *   P <i> L|S <addr> OK val=<guest RAX>                       (exit 18, VMCALL)
 *   P <i> L|S <addr> EPT_VIOLATION qual=<q> gpa=<gpa> gla=<gla> (exit 48)
 *   P <i> L|S <addr> EPT_MISCONFIG gpa=<gpa>                  (exit 49)
 *   P <i> L|S <addr> EXCEPTION vec=<v> err=<e> qual=<cr2>     (exit 0, every vector exits)
 *   P <i> L|S <addr> EXIT reason=<r> qual=<q>                 (anything else)
 * Exit information is stored during the probe loop and printed after it, so that a trace-mem
 * log holds little besides the guest's accesses. Magic breakpoints: right before the first
 * probe (the debugger rc switches trace-mem on), right after the last (trace-mem off), and
 * after "END" (quit). Output goes to COM1 (bochsrc: com1 mode=file). */
#include <stdint.h>

#define DIR_ADDR 0x20000UL
#define DIR_MAX_BYTES 0x20000UL /* directory buffer 0x20000..0x40000 */
#define RES_ADDR 0x40000UL      /* results 0x40000..0x80000; the stack lives at 0x80000..0x9e000 */
#define MAX_PROBES 4096
#define MARKER ((volatile uint64_t *)0x9f000UL)
#define DIR_MAGIC 0x31584d5354504e4eULL /* "NNPTSMX1" */

struct range { uint64_t base, len; };
struct seg { uint64_t hpa, lba, sectors; };
struct probe { uint64_t addr, type; }; /* type 0 = read, 1 = write */
struct result { uint64_t status, reason, qual, gpa, gla, info, err, rax; };
struct dir {
  uint64_t magic, dir_sectors, mode;
  uint64_t eptp, cr0, cr3, cr4, efer, stub_gva;
  uint64_t ntags, nsegs, nprobes;
  /* followed by struct range tags[ntags], struct seg segs[nsegs], struct probe probes[nprobes] */
};
#define D ((volatile struct dir *)DIR_ADDR)

uint64_t guest_rax;
int vm_run(int resume);
void vm_exit_stub(void);
void magic_break(void);
static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_region[4096] __attribute__((aligned(4096)));

static inline void outb(uint16_t p, uint8_t v) { asm volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static void putch(char c) { while (!(inb(0x3fd) & 0x20)) ; outb(0x3f8, c); }
static void puts_(const char *s) { while (*s) putch(*s++); }
static void puthex(uint64_t v) { puts_("0x"); for (int i = 60; i >= 0; i -= 4) putch("0123456789abcdef"[(v >> i) & 15]); }
static void putdec(uint64_t v) { char b[24]; int n = 0; do { b[n++] = '0' + v % 10; v /= 10; } while (v); while (n) putch(b[--n]); }
static uint64_t rdmsr(uint32_t m) { uint32_t lo, hi; asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(m)); return ((uint64_t)hi << 32) | lo; }
static void wrmsr(uint32_t m, uint64_t v) { asm volatile("wrmsr" :: "c"(m), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))); }
#define RDCR(n) ({ uint64_t v_; asm volatile("mov %%cr" #n ", %0" : "=r"(v_)); v_; })
#define WRCR(n, v) asm volatile("mov %0, %%cr" #n :: "r"((uint64_t)(v)))

static void finish(void) {
  while (!(inb(0x3fd) & 0x40)) ;                 /* let the UART drain (TEMT) */
  for (volatile int d = 0; d < 100000; d++) ;
  magic_break();
}
static void die(const char *s) { puts_("ERROR "); puts_(s); putch('\n'); finish(); for (;;) ; }

static void vmw(uint64_t f, uint64_t v) {
  uint8_t err;
  asm volatile("vmwrite %2, %1; setna %0" : "=r"(err) : "r"(f), "rm"(v) : "cc");
  if (err) { puts_("ERROR vmwrite "); puthex(f); putch('\n'); }
}
static uint64_t vmr(uint64_t f) { uint64_t v = 0; asm volatile("vmread %1, %0" : "=rm"(v) : "r"(f) : "cc"); return v; }
/* allowed-0 bits forced on, allowed-1 bits limit (IA32_VMX_*_CTLS layout) */
static uint32_t adjust(uint32_t msr, uint32_t want) { uint64_t m = rdmsr(msr); return (want | (uint32_t)m) & (uint32_t)(m >> 32); }

/* ATA PIO, primary channel, LBA28, polling (interrupts off at the device: nIEN). */
static void ata_read(uint64_t lba, uint64_t n, uint64_t dst) {
  outb(0x3f6, 0x02);
  while (n) {
    uint64_t c = n > 128 ? 128 : n;
    while (inb(0x1f7) & 0x80) ;
    outb(0x1f6, 0xe0 | ((lba >> 24) & 0x0f));
    outb(0x1f2, (uint8_t)c);
    outb(0x1f3, (uint8_t)lba); outb(0x1f4, (uint8_t)(lba >> 8)); outb(0x1f5, (uint8_t)(lba >> 16));
    outb(0x1f7, 0x20);                           /* READ SECTORS */
    for (uint64_t s = 0; s < c; s++) {
      uint8_t st;
      do st = inb(0x1f7); while ((st & 0x80) || !(st & 0x09));
      if (st & 1) die("ATA read error");
      uint64_t words = 256;
      asm volatile("rep insw" : "+D"(dst), "+c"(words) : "d"(0x1f0) : "memory");
    }
    lba += c; n -= c;
  }
}

static void load_directory(void) {
  ata_read(0, 1, DIR_ADDR);
  if (D->magic != DIR_MAGIC) die("bad directory magic");
  if (D->dir_sectors * 512 > DIR_MAX_BYTES) die("directory too large");
  if (D->dir_sectors > 1) ata_read(1, D->dir_sectors - 1, DIR_ADDR + 512);
}

static void load_memory(void) {
  volatile struct range *tags = (volatile struct range *)(DIR_ADDR + sizeof(struct dir));
  volatile struct seg *segs = (volatile struct seg *)(tags + D->ntags);
  for (uint64_t t = 0; t < D->ntags; t++) {
    volatile uint64_t *w = (volatile uint64_t *)tags[t].base;
    for (uint64_t i = 0; i < tags[t].len / 8; i++) w[i] = tags[t].base + 8 * i;
  }
  for (uint64_t s = 0; s < D->nsegs; s++) ata_read(segs[s].lba, segs[s].sectors, segs[s].hpa);
  puts_("LOADED tags="); putdec(D->ntags); puts_(" segs="); putdec(D->nsegs); putch('\n');
}

static void setup_vmcs(void) {
  uint64_t basic = rdmsr(0x480), fc = rdmsr(0x3a);
  puts_("VMX_BASIC "); puthex(basic); puts_(" EPT_VPID_CAP "); puthex(rdmsr(0x48c)); putch('\n');
  if (!(fc & 1)) wrmsr(0x3a, fc | 5);
  else if (!(fc & 4)) die("VMX disabled by IA32_FEATURE_CONTROL");
  WRCR(0, (RDCR(0) | rdmsr(0x486)) & rdmsr(0x487));
  WRCR(4, ((RDCR(4) | (1 << 13)) | rdmsr(0x488)) & rdmsr(0x489));
  *(uint32_t *)vmxon_region = (uint32_t)basic & 0x7fffffff;
  *(uint32_t *)vmcs_region = (uint32_t)basic & 0x7fffffff;
  uint64_t pa = (uint64_t)vmxon_region; uint8_t err;
  asm volatile("vmxon %1; setna %0" : "=r"(err) : "m"(pa) : "cc", "memory");
  if (err) die("vmxon");
  pa = (uint64_t)vmcs_region;
  asm volatile("vmclear %1; setna %0" : "=r"(err) : "m"(pa) : "cc", "memory");
  if (err) die("vmclear");
  asm volatile("vmptrld %1; setna %0" : "=r"(err) : "m"(pa) : "cc", "memory");
  if (err) die("vmptrld");
  int tru = (basic >> 55) & 1, paging = D->mode == 1;
  vmw(0x4000, adjust(tru ? 0x48d : 0x481, 0));                         /* pin-based */
  vmw(0x4002, adjust(tru ? 0x48e : 0x482, 1u << 31));                  /* primary: secondary on */
  vmw(0x401e, adjust(0x48b, (1u << 1) | (1u << 7)));                   /* EPT, unrestricted guest */
  vmw(0x400c, adjust(tru ? 0x48f : 0x483, (1u << 9) | (1u << 20) | (1u << 21))); /* 64-bit host, save/load EFER */
  vmw(0x4012, adjust(tru ? 0x490 : 0x484, (paging ? 1u << 9 : 0) | (1u << 15))); /* [IA-32e guest], load EFER */
  vmw(0x4004, 0xffffffff);                                             /* every guest exception exits */
  vmw(0x4006, 0); vmw(0x4008, 0); vmw(0x400a, 0);                      /* #PF: all error codes */
  vmw(0x400e, 0); vmw(0x4010, 0); vmw(0x4014, 0); vmw(0x4016, 0);
  vmw(0x6000, 0); vmw(0x6002, 0); vmw(0x6004, 0); vmw(0x6006, 0);
  vmw(0x201a, D->eptp);
  vmw(0x2800, ~0ULL);                                                  /* VMCS link pointer */
  /* host state: the current long-mode environment of boot.S */
  struct __attribute__((packed)) { uint16_t lim; uint64_t base; } gdtr, idtr;
  asm volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
  vmw(0x6c00, RDCR(0)); vmw(0x6c02, RDCR(3)); vmw(0x6c04, RDCR(4));
  vmw(0xc00, 0x10); vmw(0xc02, 0x08); vmw(0xc04, 0x10); vmw(0xc06, 0x10);
  vmw(0xc08, 0x10); vmw(0xc0a, 0x10); vmw(0xc0c, 0x18);
  vmw(0x6c06, 0); vmw(0x6c08, 0); vmw(0x6c0a, 0); vmw(0x6c0c, gdtr.base); vmw(0x6c0e, idtr.base);
  vmw(0x4c00, 0); vmw(0x6c10, 0); vmw(0x6c12, 0);
  vmw(0x2c02, rdmsr(0xc0000080));
  vmw(0x6c16, (uint64_t)vm_exit_stub);
  /* guest state, CPL 0 */
  uint64_t fx0 = rdmsr(0x486), fx1 = rdmsr(0x487), gcr0, gcr4;
  if (paging) {
    gcr0 = (D->cr0 | fx0) & fx1;
    gcr4 = (D->cr4 | rdmsr(0x488)) & rdmsr(0x489);
    vmw(0x6802, D->cr3);
    vmw(0x2806, D->efer);
  } else {                                       /* unrestricted guest may clear PG (and PE) */
    gcr0 = ((0x31ULL | fx0) & fx1) & ~0x80000000ULL;
    gcr4 = (rdmsr(0x488)) & rdmsr(0x489);
    vmw(0x6802, 0);
    vmw(0x2806, 0);
  }
  vmw(0x6800, gcr0); vmw(0x6804, gcr4);
  static const uint16_t sel[8] = {0x10, 0x08, 0x10, 0x10, 0x10, 0x10, 0, 0x18}; /* ES CS SS DS FS GS LDTR TR */
  static const uint32_t ar[8] = {0xc093, 0xa09b, 0xc093, 0xc093, 0xc093, 0xc093, 0x10000, 0x8b};
  for (int s = 0; s < 8; s++) {
    vmw(0x800 + 2 * s, sel[s]);
    vmw(0x4800 + 2 * s, s == 7 ? 0x67 : s == 6 ? 0 : 0xffffffff);
    vmw(0x4814 + 2 * s, s == 1 && !paging ? 0xc09b : ar[s]);          /* 32-bit CS without paging */
    vmw(0x6806 + 2 * s, 0);
  }
  vmw(0x4810, 0xffff); vmw(0x4812, 0xffff); vmw(0x6816, 0); vmw(0x6818, 0);
  vmw(0x681a, 0x400); vmw(0x6820, 0x2); vmw(0x6822, 0);
  vmw(0x4824, 0); vmw(0x4826, 0); vmw(0x482a, 0); vmw(0x6824, 0); vmw(0x6826, 0);
  vmw(0x2802, 0);                                                      /* guest DEBUGCTL */
  puts_("MODE "); putdec(D->mode); puts_(" EPTP "); puthex(D->eptp); puts_(" GUEST_CR0 "); puthex(gcr0);
  puts_(" GUEST_CR3 "); puthex(D->cr3); puts_(" GUEST_CR4 "); puthex(gcr4);
  puts_(" GUEST_EFER "); puthex(paging ? D->efer : 0); putch('\n');
}

void main(void) {
  outb(0x3fb, 0x03);                                                   /* COM1 8N1 */
  puts_("EPT harness\n");
  load_directory();
  load_memory();
  setup_vmcs();
  volatile struct probe *pr = (volatile struct probe *)(DIR_ADDR + sizeof(struct dir)
      + D->ntags * sizeof(struct range) + D->nsegs * sizeof(struct seg));
  uint64_t stub_base = D->stub_gva + (D->mode == 1 ? 0 : 32);
  volatile struct result *res = (volatile struct result *)RES_ADDR;
  if (D->nprobes > MAX_PROBES) die("too many probes");
  int launched = 0;
  uint64_t n = D->nprobes;
  puts_("PROBES\n");
  magic_break();                                                       /* trace-mem on */
  for (uint64_t i = 0; i < n; i++) {
    uint64_t ty = pr[i].type;
    struct { uint64_t eptp, rsvd; } desc = {D->eptp, 0};
    uint64_t all = 2;
    asm volatile("invept %0, %1" :: "m"(desc), "r"(all) : "memory");
    vmw(0x681e, stub_base + (ty == 1 ? 16 : 0));                       /* guest RIP */
    vmw(0x681c, pr[i].addr);                                           /* guest RSP = probe address */
    vmw(0x6820, 0x2);                                                  /* guest RFLAGS */
    vmw(0x4824, 0);                                                    /* interruptibility */
    guest_rax = 0x5354000000000000ULL | i;
    *MARKER = 0x4b52414d00000000ULL | i;
    int r = vm_run(launched);
    res[i].status = r;
    if (r) { res[i].reason = vmr(0x4400); n = i + 1; break; }          /* VM-instruction error */
    launched = 1;
    res[i].reason = vmr(0x4402); res[i].qual = vmr(0x6400); res[i].gpa = vmr(0x2400);
    res[i].gla = vmr(0x640a); res[i].info = vmr(0x4404); res[i].err = vmr(0x4406);
    res[i].rax = guest_rax;
    if (res[i].reason & 0x80000000u) { n = i + 1; break; }            /* VM-entry failure */
  }
  magic_break();                                                       /* trace-mem off */
  for (uint64_t i = 0; i < n; i++) {
    uint64_t reason = res[i].reason;
    puts_("P "); putdec(i); puts_(pr[i].type == 1 ? " S " : " L "); puthex(pr[i].addr);
    if (res[i].status) { puts_(" ENTRY_FAIL insn_err="); putdec(reason); putch('\n'); break; }
    switch (reason & 0xffff) {
    case 18: puts_(" OK val="); puthex(res[i].rax); break;
    case 48: puts_(" EPT_VIOLATION qual="); puthex(res[i].qual); puts_(" gpa="); puthex(res[i].gpa);
             puts_(" gla="); puthex(res[i].gla); break;
    case 49: puts_(" EPT_MISCONFIG gpa="); puthex(res[i].gpa); break;
    case 0: puts_(" EXCEPTION vec="); putdec(res[i].info & 0xff); puts_(" err="); puthex(res[i].err);
            puts_(" qual="); puthex(res[i].qual); break;
    default: puts_(" EXIT reason="); puthex(reason); puts_(" qual="); puthex(res[i].qual);
    }
    putch('\n');
  }
  puts_("END\n");
  finish();
}
