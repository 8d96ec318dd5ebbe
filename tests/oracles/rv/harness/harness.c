/* Nested-translation probe harness for QEMU riscv64 virt with the H extension.
 * Adapted from the shared oracle PoC. Contract with emulate.py (config block at CFG_ADDR):
 *   u64 magic "NNSTPRB2", hgatp, vsatp, flags (bit0 hstatus.SPVP, bit1 vsstatus.SUM,
 *   bit2 vsstatus.MXR, bit3 mstatus.MXR, bit4 HS-mode satp = Sv39 identity of 0..4 GiB),
 *   u64 ntags, {u64 base, len}[MAX_TAGS], u64 nprobes, {u64 addr, type}[nprobes]
 *   (type 0 = HLV.D, 1 = HSV.D, 2 = HLVX.WU).
 * Every 8-byte word of each tag range is set to its own physical address, so a
 * successful load returns the final host-physical address. A store probe first loads
 * the word (HLV.D) and, if that succeeds, stores the loaded value back (HSV.D): the
 * load gives the address, the store gives the store's own permission checks, and the
 * memory keeps its contents. Output, one line per probe on the UART:
 *   P <i> <L|S|X> <addr> OK val=<hex>            (S: val = value loaded before the store)
 *   P <i> <L|S|X> <addr> TRAP cause=<dec> tval=<hex> tval2=<hex> gpa=<hex> tinst=<hex>
 * then END; exit through the sifive_test device. */
#include <stdint.h>
#define CFG_ADDR 0x80100000UL
#define UART ((volatile uint8_t *)0x10000000UL)
#define TEST_DEV ((volatile uint32_t *)0x100000UL)
#define CFG_MAGIC 0x3242525054534e4eULL /* "NNSTPRB2" */
#define MAX_TAGS 256

struct range { uint64_t base, len; };
struct probe { uint64_t addr, type; };
struct cfg {
  uint64_t magic, hgatp, vsatp, flags, ntags;
  struct range tag[MAX_TAGS];
  uint64_t nprobes;
  struct probe p[];
};
volatile uint64_t trap_rec[8]; /* cause, tval, tval2, tinst, epc, flag, save */
uint64_t hs_root[512] __attribute__((aligned(4096)));

uint64_t do_hlv_d(uint64_t);
void do_hsv_d(uint64_t, uint64_t);
uint64_t do_hlvx_wu(uint64_t);
void do_hfence(void);

#define csrr(csr) ({ uint64_t v_; asm volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csrw(csr, v) asm volatile("csrw " #csr ", %0" :: "r"((uint64_t)(v)))
#define csrs(csr, v) asm volatile("csrs " #csr ", %0" :: "r"((uint64_t)(v)))

static void putc_(char c) { *UART = c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint64_t v) {
  puts_("0x");
  for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}
static void putdec(uint64_t v) { char b[24]; int n = 0; do { b[n++] = '0' + v % 10; v /= 10; } while (v); while (n) putc_(b[--n]); }
static void exit_(int code) { *TEST_DEV = code ? ((code << 16) | 0x3333) : 0x5555; for (;;) ; }

void hs_main(void);

void m_main(void) {
  struct cfg *c = (struct cfg *)CFG_ADDR;
  if (c->magic != CFG_MAGIC || c->ntags > MAX_TAGS) { puts_("ERROR bad config\n"); exit_(2); }
  csrw(pmpaddr0, 0x3fffffffffffffULL);  /* PMP: allow everything for S/U */
  csrw(pmpcfg0, 0x1f);
  for (uint64_t r = 0; r < c->ntags; r++) {
    volatile uint64_t *t = (volatile uint64_t *)c->tag[r].base;
    uint64_t a = c->tag[r].base, n = c->tag[r].len / 8;
    for (uint64_t i = 0; i < n; i++, a += 8) t[i] = a;
  }
  uint64_t hs = csrr(0x600);  /* hstatus.SPVP (bit 8): 1 = HLV/HSV as VS, 0 = as VU */
  hs = (hs & ~(1ULL << 8)) | ((c->flags & 1) << 8);
  csrw(0x600, hs);
  uint64_t vss = csrr(0x200) & ~((1ULL << 18) | (1ULL << 19)); /* vsstatus.SUM, MXR */
  if (c->flags & 2) vss |= 1ULL << 18;
  if (c->flags & 4) vss |= 1ULL << 19;
  csrw(0x200, vss);
  if (c->flags & 8) csrs(mstatus, 1ULL << 19);
  if (c->flags & 16) {  /* HS-mode satp = Sv39 identity over 0..4 GiB (QEMU deviation 1) */
    for (uint64_t g = 0; g < 4; g++) hs_root[g] = ((g << 30) >> 2) | 0xcf;
    csrw(satp, (8ULL << 60) | ((uint64_t)hs_root >> 12));
    asm volatile("sfence.vma");
  }
  csrw(0x680, c->hgatp);
  csrw(0x280, c->vsatp);
  puts_("SATP "); puthex(csrr(satp)); puts_(" HGATP "); puthex(csrr(0x680)); puts_(" VSATP "); puthex(csrr(0x280));
  puts_(" HSTATUS "); puthex(csrr(0x600)); puts_(" VSSTATUS "); puthex(csrr(0x200)); putc_('\n');
  uint64_t ms = csrr(mstatus);  /* drop to HS-mode (MPP=S, MPV=0) */
  ms = (ms & ~(3ULL << 11) & ~(1ULL << 39)) | (1ULL << 11);
  csrw(mstatus, ms);
  csrw(mepc, (uint64_t)hs_main);
  asm volatile("mret");
}

void hs_main(void) {
  struct cfg *c = (struct cfg *)CFG_ADDR;
  for (uint64_t i = 0; i < c->nprobes; i++) {
    uint64_t a = c->p[i].addr, ty = c->p[i].type, val = 0;
    do_hfence();
    trap_rec[5] = 0;
    if (ty == 2) {
      val = do_hlvx_wu(a);
    } else {
      val = do_hlv_d(a);
      if (ty == 1) {  /* store: write back what the load returned (or a marker if it trapped) */
        if (trap_rec[5]) val = 0x5354000000000000ULL | i;
        trap_rec[5] = 0;
        do_hsv_d(a, val);
      }
    }
    puts_("P "); putdec(i); puts_(ty == 0 ? " L " : ty == 1 ? " S " : " X "); puthex(a);
    if (trap_rec[5]) {
      puts_(" TRAP cause="); putdec(trap_rec[0]); puts_(" tval="); puthex(trap_rec[1]);
      puts_(" tval2="); puthex(trap_rec[2]); puts_(" gpa="); puthex(trap_rec[2] << 2);
      puts_(" tinst="); puthex(trap_rec[3]);
    } else {
      puts_(" OK val="); puthex(val);
    }
    putc_('\n');
  }
  puts_("END\n");
  exit_(0);
}
