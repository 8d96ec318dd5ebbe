# Drawn by nptsim validate; run again with: gnuplot validate-out/validate.gp
set grid
set logscale x 2
set key top left
set datafile separator ','
set xlabel 'footprint (KiB)'
set ylabel 'ns per access'
set format x '%.0f'
set terminal svg size 800,500 noenhanced
set output 'validate-out/tlb-4k.svg'
set title 'tlb-4k: nptsim (skylake)'
plot 'validate-out/validate.csv' using (strcol(1) eq 'tlb-4k' ? $2/1024 : 1/0):5 with linespoints lw 2 title 'measured', '' using (strcol(1) eq 'tlb-4k' ? $2/1024 : 1/0):6 with linespoints lw 2 title 'simulated'
set terminal pngcairo size 800,500 noenhanced
set output 'validate-out/tlb-4k.png'
set title 'tlb-4k: nptsim (skylake)'
plot 'validate-out/validate.csv' using (strcol(1) eq 'tlb-4k' ? $2/1024 : 1/0):5 with linespoints lw 2 title 'measured', '' using (strcol(1) eq 'tlb-4k' ? $2/1024 : 1/0):6 with linespoints lw 2 title 'simulated'
set terminal svg size 800,500 noenhanced
set output 'validate-out/tlb-2m.svg'
set title 'tlb-2m: nptsim (skylake)'
plot 'validate-out/validate.csv' using (strcol(1) eq 'tlb-2m' ? $2/1024 : 1/0):5 with linespoints lw 2 title 'measured', '' using (strcol(1) eq 'tlb-2m' ? $2/1024 : 1/0):6 with linespoints lw 2 title 'simulated'
set terminal pngcairo size 800,500 noenhanced
set output 'validate-out/tlb-2m.png'
set title 'tlb-2m: nptsim (skylake)'
plot 'validate-out/validate.csv' using (strcol(1) eq 'tlb-2m' ? $2/1024 : 1/0):5 with linespoints lw 2 title 'measured', '' using (strcol(1) eq 'tlb-2m' ? $2/1024 : 1/0):6 with linespoints lw 2 title 'simulated'
set terminal svg size 800,500 noenhanced
set output 'validate-out/cache.svg'
set title 'cache: nptsim (skylake)'
plot 'validate-out/validate.csv' using (strcol(1) eq 'cache' ? $2/1024 : 1/0):5 with linespoints lw 2 title 'measured', '' using (strcol(1) eq 'cache' ? $2/1024 : 1/0):6 with linespoints lw 2 title 'simulated'
set terminal pngcairo size 800,500 noenhanced
set output 'validate-out/cache.png'
set title 'cache: nptsim (skylake)'
plot 'validate-out/validate.csv' using (strcol(1) eq 'cache' ? $2/1024 : 1/0):5 with linespoints lw 2 title 'measured', '' using (strcol(1) eq 'cache' ? $2/1024 : 1/0):6 with linespoints lw 2 title 'simulated'
unset output
