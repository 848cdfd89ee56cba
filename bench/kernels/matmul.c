// Dense f64 matrix multiply, N x N, repeated n times: float loads, multiply-adds, nested loops.
#define N 128
static double a[N * N], b[N * N], c[N * N];

int run(int n) {
  for (int i = 0; i < N * N; i++) {
    a[i] = (double)(i % 17) * 0.5;
    b[i] = (double)(i % 13) - 3.0;
  }
  double check = 0;
  for (int rep = 0; rep < n; rep++) {
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) c[i * N + j] = 0;
      for (int k = 0; k < N; k++) {
        double aik = a[i * N + k];
        for (int j = 0; j < N; j++) c[i * N + j] += aik * b[k * N + j];
      }
    }
    check += c[(rep * 7) % (N * N)];
  }
  return (int)check;
}
