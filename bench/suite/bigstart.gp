# bench/suite/bigstart.py's chart: start-up wall time, CPU time and peak RSS per job, one bar
# per runner (log scales; lower is better).
# gnuplot -e "datafile='bigstart.dat'; outfile='bigstart.png'" bigstart.gp
# (the first line of the data file: "# runners NAME...", then one row per job: label, then
# wall ms, CPU ms and RSS MB per runner)
set terminal pngcairo size 1800,600 font "sans,10" noenhanced
set output outfile
runners = system("head -1 " . datafile . " | cut -d' ' -f3-")
n = words(runners)
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set grid ytics
set xtics rotate by -20 scale 0
set key below horizontal
set multiplot layout 1,3 title "Start-up of big modules (median of the rounds; load average in bigstart.txt)"
set title "wall time (ms, log scale)"
set yrange [*:*]
plot for [i=1:n] datafile using (column(3*i-1)):xtic(1) title word(runners, i)
set title "CPU time, user + system (ms, log scale)"
plot for [i=1:n] datafile using (column(3*i)):xtic(1) title word(runners, i)
set title "peak RSS (MB, log scale)"
plot for [i=1:n] datafile using (column(3*i+1)):xtic(1) title word(runners, i)
unset multiplot
