/* A CoreMark-like mix (written from the published description of CoreMark's workload, not
 * from its code): per iteration, (1) linked-list work — search, reverse, and a merge sort of a
 * list of 1000 nodes by value and back by index; (2) matrix work on 40 x 40 16-bit matrices —
 * add a constant, scale, matrix-vector, matrix-matrix, and a bit-field extracting product;
 * (3) a state machine classifying the tokens of a text (integer, float, exponent, invalid);
 * each part's result is folded into a CRC-16. n iterations. */
#define BENCH_NAME "coremark"
#define BENCH_DEFAULT_N 5000
#include "bench.h"

/* ---- CRC-16 (CCITT polynomial 0x1021, bitwise) */
static uint16_t crc16_u8(uint8_t v, uint16_t crc) {
  crc ^= (uint16_t)(v << 8);
  for (int i = 0; i < 8; i++)
    crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
  return crc;
}
static uint16_t crc16_u16(uint16_t v, uint16_t crc) {
  return crc16_u8((uint8_t)(v >> 8), crc16_u8((uint8_t)v, crc));
}
static uint16_t crc16_u32(uint32_t v, uint16_t crc) {
  return crc16_u16((uint16_t)(v >> 16), crc16_u16((uint16_t)v, crc));
}

/* ---- (1) linked list */
#define LIST_N 1000
typedef struct Node {
  struct Node* next;
  int16_t value;
  int16_t index;
} Node;
static Node nodes[LIST_N];

static Node* list_build(uint32_t seed) {
  for (int i = 0; i < LIST_N; i++) {
    seed = seed * 1103515245u + 12345u;
    nodes[i].value = (int16_t)((seed >> 16) & 0x7fff);
    nodes[i].index = (int16_t)i;
    nodes[i].next = i + 1 < LIST_N ? &nodes[i + 1] : 0;
  }
  return &nodes[0];
}

static Node* list_find(Node* l, int16_t value) {
  for (; l; l = l->next)
    if (l->value == value) return l;
  return 0;
}

static Node* list_reverse(Node* l) {
  Node* r = 0;
  while (l) {
    Node* next = l->next;
    l->next = r;
    r = l;
    l = next;
  }
  return r;
}

static int cmp_value(const Node* a, const Node* b) {
  return a->value - b->value;
}
static int cmp_index(const Node* a, const Node* b) {
  return a->index - b->index;
}

/* Bottom-up merge sort of a singly linked list (stable). */
static Node* list_sort(Node* l, int (*cmp)(const Node*, const Node*)) {
  for (int width = 1;; width *= 2) {
    Node *p = l, *head = 0, *tail = 0;
    int merges = 0;
    while (p) {
      merges++;
      Node* q = p;
      int psize = 0;
      for (int i = 0; i < width && q; i++) {
        psize++;
        q = q->next;
      }
      int qsize = width;
      while (psize > 0 || (qsize > 0 && q)) {
        Node* e;
        if (psize == 0) {
          e = q;
          q = q->next;
          qsize--;
        } else if (qsize == 0 || !q || cmp(p, q) <= 0) {
          e = p;
          p = p->next;
          psize--;
        } else {
          e = q;
          q = q->next;
          qsize--;
        }
        if (tail)
          tail->next = e;
        else
          head = e;
        tail = e;
      }
      p = q;
    }
    tail->next = 0;
    l = head;
    if (merges <= 1) return l;
  }
}

static uint16_t list_work(uint32_t iter, uint16_t crc) {
  Node* l = list_build(iter);
  for (int i = 0; i < 20; i++) {
    Node* f = list_find(l, (int16_t)((iter * 7 + (uint32_t)i * 977) & 0x7fff));
    crc = crc16_u16(f ? (uint16_t)f->index : 0xffff, crc);
  }
  l = list_reverse(l);
  l = list_sort(l, cmp_value);
  crc = crc16_u16((uint16_t)l->value, crc);
  crc = crc16_u16((uint16_t)l->next->next->value, crc);
  l = list_sort(l, cmp_index);
  for (Node* p = l; p; p = p->next)
    if (p->next && p->next->index != p->index + 1) return 0xdead;
  crc = crc16_u16((uint16_t)l->value, crc);
  return crc;
}

/* ---- (2) matrices */
#define MAT_N 40
static int16_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N];
static int32_t mc[MAT_N][MAT_N];

static uint16_t matrix_work(uint32_t iter, uint16_t crc) {
  uint32_t seed = iter;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      seed = seed * 1664525u + 1013904223u;
      ma[i][j] = (int16_t)((seed >> 20) & 0x3ff);
      mb[i][j] = (int16_t)((seed >> 8) & 0x3ff);
    }
  int16_t k = (int16_t)(iter & 0xff);
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) ma[i][j] = (int16_t)(ma[i][j] + k);
  /* scale */
  uint32_t s = 0;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      mc[i][j] = ma[i][j] * (int32_t)k;
      s += (uint32_t)mc[i][j];
    }
  crc = crc16_u32(s, crc);
  /* matrix-vector */
  s = 0;
  for (int i = 0; i < MAT_N; i++) {
    int32_t acc = 0;
    for (int j = 0; j < MAT_N; j++) acc += ma[i][j] * mb[j][0];
    mc[i][0] = acc;
    s += (uint32_t)acc;
  }
  crc = crc16_u32(s, crc);
  /* matrix-matrix */
  s = 0;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      int32_t acc = 0;
      for (int x = 0; x < MAT_N; x++) acc += ma[i][x] * mb[x][j];
      mc[i][j] = acc;
      s += (uint32_t)acc;
    }
  crc = crc16_u32(s, crc);
  /* matrix-matrix on bit fields of the products */
  s = 0;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      int32_t acc = 0;
      for (int x = 0; x < MAT_N; x++) {
        int32_t p = ma[i][x] * mb[x][j];
        acc += (p >> 2) & 0xf;
        acc += (p >> 5) & 0x7f;
      }
      s += (uint32_t)acc;
    }
  return crc16_u32(s, crc);
}

/* ---- (3) state machine over a text of tokens */
enum State { S_START, S_INT, S_FLOAT, S_EXP, S_EXP_SIGN, S_EXP_DIGITS, S_INVALID, S_COUNT };
static const char* const kTokens[] = {"5012", "1.23e4", "-110.700", "T0.3e-1F", "+0.5", "8e",
                                      "-",    "77",     "1.",       "6.02e+23", "0x1f", "42.0"};
static char text[4096];
static uint32_t text_len;

static void text_build(void) {
  uint32_t p = 0, t = 0;
  while (p + 16 < sizeof(text)) {
    for (const char* s = kTokens[t % 12]; *s; s++) text[p++] = *s;
    text[p++] = ',';
    t = t * 5 + 3;
  }
  text_len = p;
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static uint16_t state_work(uint32_t iter, uint16_t crc) {
  uint32_t final_counts[S_COUNT] = {0}, transitions = 0;
  /* Corrupt one character per iteration (and restore it afterwards). */
  uint32_t pos = (iter * 131u) % text_len;
  char saved = text[pos];
  text[pos] = (char)('0' + iter % 10);
  enum State st = S_START;
  for (uint32_t i = 0; i < text_len; i++) {
    char c = text[i];
    enum State next = st;
    if (c == ',') {
      final_counts[st]++;
      next = S_START;
    } else {
      switch (st) {
        case S_START:
          if (is_digit(c))
            next = S_INT;
          else if (c == '+' || c == '-')
            next = S_INT;
          else if (c == '.')
            next = S_FLOAT;
          else
            next = S_INVALID;
          break;
        case S_INT:
          if (c == '.')
            next = S_FLOAT;
          else if (c == 'e' || c == 'E')
            next = S_EXP;
          else if (!is_digit(c))
            next = S_INVALID;
          break;
        case S_FLOAT:
          if (c == 'e' || c == 'E')
            next = S_EXP;
          else if (!is_digit(c))
            next = S_INVALID;
          break;
        case S_EXP:
          if (c == '+' || c == '-')
            next = S_EXP_SIGN;
          else if (is_digit(c))
            next = S_EXP_DIGITS;
          else
            next = S_INVALID;
          break;
        case S_EXP_SIGN:
          next = is_digit(c) ? S_EXP_DIGITS : S_INVALID;
          break;
        case S_EXP_DIGITS:
          if (!is_digit(c)) next = S_INVALID;
          break;
        default:
          break;
      }
    }
    transitions += next != st;
    st = next;
  }
  text[pos] = saved;
  for (int i = 0; i < S_COUNT; i++) crc = crc16_u32(final_counts[i], crc);
  return crc16_u32(transitions, crc);
}

static uint32_t bench(int n) {
  text_build();
  uint16_t crc = 0;
  for (int i = 0; i < n; i++) {
    crc = list_work((uint32_t)i, crc);
    crc = matrix_work((uint32_t)i, crc);
    crc = state_work((uint32_t)i, crc);
  }
  return crc;
}
