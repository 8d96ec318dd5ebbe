/* A deterministic x86-64 Linux program without libc, for comparing tracers: exactly
   ROUNDS * N * (2 loads + 1 store) data accesses in the loop, plus none elsewhere except the
   stack traffic of _start. Built by tests/cli/record.sh with: cc -O1 -static -nostdlib. */
#define N 4096
#define ROUNDS 10
static volatile unsigned long buf[N];

__attribute__((noreturn)) static void sys_exit(long code) {
  __asm__ volatile("mov $60, %%eax\n syscall" : : "D"(code) : "rax", "rcx", "r11", "memory");
  __builtin_unreachable();
}

void _start(void) {
  unsigned long s = 0;
  for (int r = 0; r < ROUNDS; ++r)
    for (int i = 0; i < N; ++i) {
      buf[i] = buf[i] + (unsigned long)i;
      s += buf[i];
    }
  sys_exit((long)(s & 1));
}
