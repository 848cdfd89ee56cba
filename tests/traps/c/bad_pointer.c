// A store through a wild pointer: "memory fault at wasm address ...".
#include <stdint.h>

void poke(uintptr_t address, int value) {
  *(volatile int*)address = value;
}

int main(void) {
  poke(0x7ffffff0u, 42);
  return 0;
}
