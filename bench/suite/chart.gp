# Bar chart of the suite's ratios (wtrun time / other runner's time; below 1 = wtrun faster).
# gnuplot -e "datafile='suite.dat'; outfile='suite.png'" chart.gp   (optional: charttitle='...')
set terminal pngcairo size 1400,560 font "sans,10" noenhanced
set output outfile
if (!exists("charttitle")) charttitle = "wtrun time relative to other runners"
set title charttitle . ": process CPU time, median of the rounds (lower is better for wtrun; 1 = same time)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set yrange [0.0625:16]
set ytics ("1/16" 0.0625, "1/8" 0.125, "1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4, "8" 8, "16" 16)
set grid ytics
set xtics rotate by -30 scale 0
set key top left
set ylabel "time ratio (log scale)"
ncols = system("head -1 " . datafile . " | wc -w") + 0
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb "black"
plot for [c=2:ncols] datafile using c:xtic(1) title columnheader(c)
