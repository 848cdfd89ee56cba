// A float n-body-like loop: 5 bodies, pairwise forces with sqrt, n steps.
#define kBodies 5
static double px[kBodies], py[kBodies], pz[kBodies], vx[kBodies], vy[kBodies], vz[kBodies],
    mass[kBodies];

int run(int n) {
  for (int i = 0; i < kBodies; i++) {
    px[i] = i * 1.1;
    py[i] = i * -0.7 + 0.3;
    pz[i] = i * 0.2;
    vx[i] = 0.01 * i;
    vy[i] = -0.02 * i;
    vz[i] = 0.005;
    mass[i] = 1.0 + i * 0.1;
  }
  const double dt = 0.001;
  for (int s = 0; s < n; s++) {
    for (int i = 0; i < kBodies; i++) {
      for (int j = i + 1; j < kBodies; j++) {
        double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
        double d2 = dx * dx + dy * dy + dz * dz + 0.01;
        double mag = dt / (d2 * __builtin_sqrt(d2));
        vx[i] -= dx * mass[j] * mag;
        vy[i] -= dy * mass[j] * mag;
        vz[i] -= dz * mass[j] * mag;
        vx[j] += dx * mass[i] * mag;
        vy[j] += dy * mass[i] * mag;
        vz[j] += dz * mass[i] * mag;
      }
    }
    for (int i = 0; i < kBodies; i++) {
      px[i] += dt * vx[i];
      py[i] += dt * vy[i];
      pz[i] += dt * vz[i];
    }
  }
  double e = 0;
  for (int i = 0; i < kBodies; i++) e += mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
  return (int)(e * 1e6);
}
