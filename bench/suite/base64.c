/* Base64 (RFC 4648, with '=' padding) encoding and decoding of a 1 MiB buffer of random
 * bytes, n round trips; byte table lookups, shifts, and a decode table. */
#define BENCH_NAME "base64"
#define BENCH_DEFAULT_N 450
#include "bench.h"

#define RAW_SIZE (1u << 20)
static uint8_t raw[RAW_SIZE + 3];
static uint8_t back[RAW_SIZE + 3];
static char text[(RAW_SIZE + 2) / 3 * 4 + 4];
static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static int8_t decode_table[256];

static uint32_t encode(const uint8_t* in, uint32_t len, char* out) {
  uint32_t o = 0, i = 0;
  for (; i + 3 <= len; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    out[o++] = alphabet[v >> 18];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = alphabet[(v >> 6) & 63];
    out[o++] = alphabet[v & 63];
  }
  if (i < len) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0);
    out[o++] = alphabet[v >> 18];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
    out[o++] = '=';
  }
  return o;
}

/* Returns the decoded length, or 0xffffffff on a bad character. */
static uint32_t decode(const char* in, uint32_t len, uint8_t* out) {
  uint32_t o = 0;
  for (uint32_t i = 0; i + 4 <= len; i += 4) {
    int a = decode_table[(uint8_t)in[i]], b = decode_table[(uint8_t)in[i + 1]];
    int c = in[i + 2] == '=' ? 0 : decode_table[(uint8_t)in[i + 2]];
    int d = in[i + 3] == '=' ? 0 : decode_table[(uint8_t)in[i + 3]];
    if ((a | b | c | d) < 0) return 0xffffffffu;
    uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
    out[o++] = (uint8_t)(v >> 16);
    if (in[i + 2] != '=') out[o++] = (uint8_t)(v >> 8);
    if (in[i + 3] != '=') out[o++] = (uint8_t)v;
  }
  return o;
}

static uint32_t bench(int n) {
  for (int i = 0; i < 256; i++) decode_table[i] = -1;
  for (int i = 0; i < 64; i++) decode_table[(uint8_t)alphabet[i]] = (int8_t)i;
  bench_seed(777);
  for (uint32_t i = 0; i < RAW_SIZE; i++) raw[i] = (uint8_t)bench_rand();
  uint32_t sum = 0;
  for (int rep = 0; rep < n; rep++) {
    uint32_t len = RAW_SIZE - (uint32_t)(rep % 3);
    raw[rep % RAW_SIZE] ^= (uint8_t)rep;
    uint32_t tlen = encode(raw, len, text);
    uint32_t blen = decode(text, tlen, back);
    sum = bench_mix(sum, tlen);
    sum = bench_mix(sum, blen);
    sum = bench_mix(sum, (uint32_t)text[(uint32_t)rep * 7919u % tlen]);
    sum = bench_mix(sum, back[(uint32_t)rep * 104729u % len] ^ raw[(uint32_t)rep * 104729u % len]);
  }
  return sum;
}
