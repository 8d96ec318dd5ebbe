/* A deterministic Linux program without libc, for comparing tracers: exactly
   ROUNDS * N * (2 loads + 1 store) data accesses in the loop and none elsewhere (at -O1 the
   loop keeps everything else in registers). Builds for x86-64, AArch64 and RISC-V 64; built by
   tests/cli/record.sh with: CC -O1 -static -nostdlib -fno-stack-protector. */
#define N 4096
#define ROUNDS 10
static volatile unsigned long buf[N];

__attribute__((noreturn)) static void sys_exit(long code) {
#if defined(__x86_64__)
  __asm__ volatile("mov $60, %%eax\n syscall" : : "D"(code) : "rax", "rcx", "r11", "memory");
#elif defined(__aarch64__)
  register long x0 __asm__("x0") = code;
  __asm__ volatile("mov x8, #93\n svc #0" : : "r"(x0) : "x8", "memory");
#elif defined(__riscv)
  register long a0 __asm__("a0") = code;
  __asm__ volatile("li a7, 93\n ecall" : : "r"(a0) : "a7", "memory");
#else
#error "unsupported architecture"
#endif
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
