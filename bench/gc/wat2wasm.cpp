// [wasmgc] #18: .wat -> .wasm with wtrun's own text encoder (Wasm 3.0, the final GC encoding),
// for bench/gc/run.sh: node needs binary modules, and Debian's wabt (1.0.32) and binaryen
// (108) do not know the final GC encoding.
//   usage: wat2wasm IN.wat OUT.wasm
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "text/wat.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s IN.wat OUT.wasm\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot read %s\n", argv[1]);
    return 1;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto bytes = wt::text::WatToBinary(text, argv[1]);
  if (!bytes.ok()) {
    std::fprintf(stderr, "error: %s\n", bytes.error().ToString().c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()),
            static_cast<std::streamsize>(bytes->size()));
  if (!out) {
    std::fprintf(stderr, "error: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
