/* AArch64 EL2 probe harness for QEMU virt,virtualization=on (adapted from the shared PoC).
 * Contract with emulate.py (config block at CFG_ADDR):
 *   u64 magic "NNSTPRB1", vtcr_el2, vttbr_el2, tcr_el1, ttbr0_el1, ttbr1_el1, mair_el1,
 *   sctlr_el1, hcr_el2, nprobes, {u64 va, kind}[nprobes]
 *   kind 0 = AT S12E1R, 1 = S12E1W, 2 = S12E0R, 3 = S12E0W, 4 = S1E1R, 5 = S1E1W.
 * Before each probe the EL1&0 TLBs are invalidated (TLBI ALLE1), so every AT walks the
 * tables in memory (hardware Access-flag updates made by earlier probes persist there).
 * Output on the PL011 UART, one line per probe:
 *   P <i> <kind> <va> PAR=<hex> OK pa=<hex>
 *   P <i> <kind> <va> PAR=<hex> FAULT fst=<hex> S=<0|1> PTW=<0|1>
 * then END; exit with PSCI SYSTEM_OFF. An unexpected exception prints EXC and stops. */
#include <stdint.h>
#define CFG_ADDR 0x40100000UL
#define UART ((volatile uint32_t *)0x09000000UL)
#define CFG_MAGIC 0x3142525054534e4eULL
struct probe { uint64_t va, kind; };
struct cfg {
  uint64_t magic, vtcr, vttbr, tcr, ttbr0, ttbr1, mair, sctlr, hcr, nprobes;
  struct probe p[];
};
uint64_t at_probe(uint64_t va, uint64_t kind);
void psci_off(void);
static void putc_(char c) { *UART = c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint64_t v) { puts_("0x"); for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]); }
static void putdec(uint64_t v) { char b[24]; int n = 0; do { b[n++] = '0' + v % 10; v /= 10; } while (v); while (n) putc_(b[--n]); }
#define MSR(r, v) asm volatile("msr " #r ", %0" :: "r"((uint64_t)(v)))
#define MRS(r) ({ uint64_t v_; asm volatile("mrs %0, " #r : "=r"(v_)); v_; })
static const char *kn[] = {"S12E1R", "S12E1W", "S12E0R", "S12E0W", "S1E1R", "S1E1W"};

void exc_report(uint64_t esr, uint64_t far, uint64_t elr, uint64_t el) {
  puts_("EXC esr="); puthex(esr); puts_(" far="); puthex(far); puts_(" elr="); puthex(elr);
  puts_(" el="); putdec(el >> 2); putc_('\n'); psci_off();
}
void el2_main(void) {
  struct cfg *c = (struct cfg *)CFG_ADDR;
  puts_("CurrentEL="); putdec(MRS(currentel) >> 2); putc_('\n');
  if (c->magic != CFG_MAGIC) { puts_("ERROR bad config magic\n"); psci_off(); }
  MSR(vtcr_el2, c->vtcr); MSR(vttbr_el2, c->vttbr);
  MSR(mair_el1, c->mair); MSR(tcr_el1, c->tcr);
  MSR(ttbr0_el1, c->ttbr0); MSR(ttbr1_el1, c->ttbr1);
  MSR(sctlr_el1, c->sctlr); MSR(hcr_el2, c->hcr);
  asm volatile("isb; tlbi alle1; dsb sy; isb");
  puts_("VTCR "); puthex(MRS(vtcr_el2)); puts_(" VTTBR "); puthex(MRS(vttbr_el2));
  puts_(" TCR "); puthex(MRS(tcr_el1)); puts_(" SCTLR "); puthex(MRS(sctlr_el1));
  puts_(" HCR "); puthex(MRS(hcr_el2));
  puts_(" ID_AA64MMFR0 "); puthex(MRS(id_aa64mmfr0_el1)); puts_(" ID_AA64MMFR1 "); puthex(MRS(id_aa64mmfr1_el1)); putc_('\n');
  for (uint64_t i = 0; i < c->nprobes; i++) {
    asm volatile("tlbi alle1; dsb sy; isb");
    uint64_t par = at_probe(c->p[i].va, c->p[i].kind);
    puts_("P "); putdec(i); putc_(' '); puts_(kn[c->p[i].kind % 6]); putc_(' ');
    puthex(c->p[i].va); puts_(" PAR="); puthex(par);
    if (par & 1) {
      puts_(" FAULT fst="); puthex((par >> 1) & 63); puts_(" S="); putdec((par >> 9) & 1);
      puts_(" PTW="); putdec((par >> 8) & 1);
    } else {
      puts_(" OK pa="); puthex((par & 0x000ffffffffff000ULL) | (c->p[i].va & 0xfff));
    }
    putc_('\n');
  }
  puts_("END\n");
  psci_off();
}
