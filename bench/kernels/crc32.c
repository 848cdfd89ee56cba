// Table-driven CRC-32 over a generated buffer plus a sha-like rotate/xor/add mix, n passes.
#define kLen 65536
static unsigned char buf[kLen];
static unsigned table[256];

static unsigned rotl(unsigned x, int r) {
  return (x << r) | (x >> (32 - r));
}

int run(int n) {
  for (unsigned i = 0; i < 256; i++) {
    unsigned c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  unsigned seed = 12345;
  for (int i = 0; i < kLen; i++) {
    seed = seed * 1103515245u + 12345u;
    buf[i] = (unsigned char)(seed >> 16);
  }
  unsigned crc = 0, h0 = 0x67452301u, h1 = 0xEFCDAB89u, h2 = 0x98BADCFEu, h3 = 0x10325476u;
  for (int rep = 0; rep < n; rep++) {
    crc = 0xFFFFFFFFu;
    for (int i = 0; i < kLen; i++) crc = table[(crc ^ buf[i]) & 0xFF] ^ (crc >> 8);
    crc ^= 0xFFFFFFFFu;
    for (int i = 0; i + 4 <= kLen; i += 4) {
      unsigned w = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | ((unsigned)buf[i + 3] << 24);
      unsigned t = rotl(h0, 5) + ((h1 & h2) | (~h1 & h3)) + w + 0x5A827999u;
      h3 = h2;
      h2 = rotl(h1, 30);
      h1 = h0;
      h0 = t ^ crc;
    }
  }
  return (int)(crc ^ h0 ^ h1 ^ h2 ^ h3);
}
