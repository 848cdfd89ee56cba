// Reads stdin to the end: line count, byte count, and each line reversed.
#include <stdio.h>
#include <string.h>

int main(void) {
  char line[4096];
  long lines = 0, bytes = 0;
  while (fgets(line, sizeof line, stdin) != NULL) {
    size_t n = strlen(line);
    bytes += (long)n;
    ++lines;
    if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
    for (size_t i = 0; i < n / 2; ++i) {
      char t = line[i];
      line[i] = line[n - 1 - i];
      line[n - 1 - i] = t;
    }
    printf("%s\n", line);
  }
  printf("%ld lines, %ld bytes, eof %s\n", lines, bytes, feof(stdin) ? "yes" : "no");
  return 0;
}
