// Entry point: everything lives in wtrun_lib (src/cli/app.cpp).
#include "cli/app.h"

int main(int argc, char** argv) {
  return wt::cli::Main(argc, argv);
}
