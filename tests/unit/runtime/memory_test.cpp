#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/runtime.h"

namespace wt::runtime {
namespace {

wasm::MemoryType Mem(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
  wasm::MemoryType t;
  t.limits.min = min;
  t.limits.max = max;
  return t;
}

TEST(MemoryTest, CreateCommitsMinimumZeroed) {
  auto m = Memory::Create(Mem(2));
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  Memory& mem = **m;
  EXPECT_EQ(mem.pages(), 2u);
  EXPECT_EQ(mem.size_bytes(), 2u * 65536);
  ASSERT_NE(mem.data(), nullptr);
  for (uint64_t i = 0; i < mem.size_bytes(); i += 4093) EXPECT_EQ(mem.data()[i], 0);
  mem.data()[2 * 65536 - 1] = 7;  // the last committed byte is writable
  EXPECT_EQ(mem.vm()->base, mem.data());
  EXPECT_EQ(mem.vm()->size_bytes, mem.size_bytes());
}

TEST(MemoryTest, GrowKeepsBaseAndContents) {
  auto m = Memory::Create(Mem(1));
  ASSERT_TRUE(m.ok());
  Memory& mem = **m;
  uint8_t* base = mem.data();
  mem.data()[100] = 42;
  EXPECT_EQ(mem.Grow(3), std::optional<uint64_t>(1));
  EXPECT_EQ(mem.pages(), 4u);
  EXPECT_EQ(mem.data(), base);
  EXPECT_EQ(mem.data()[100], 42);
  EXPECT_EQ(mem.data()[4 * 65536 - 1], 0);
  mem.data()[4 * 65536 - 1] = 1;
  EXPECT_EQ(mem.Grow(0), std::optional<uint64_t>(4));
  EXPECT_EQ(mem.vm()->size_bytes, 4u * 65536);
}

TEST(MemoryTest, GrowHonoursDeclaredMaximum) {
  auto m = Memory::Create(Mem(1, 3));
  ASSERT_TRUE(m.ok());
  Memory& mem = **m;
  EXPECT_EQ(mem.max_pages(), 3u);
  EXPECT_EQ(mem.Grow(3), std::nullopt);
  EXPECT_EQ(mem.pages(), 1u);
  EXPECT_EQ(mem.Grow(2), std::optional<uint64_t>(1));
  EXPECT_EQ(mem.Grow(1), std::nullopt);
  EXPECT_EQ(mem.Grow(0), std::optional<uint64_t>(3));
  EXPECT_EQ(mem.type().limits.min, 3u);
  EXPECT_EQ(mem.type().limits.max, std::optional<uint64_t>(3));
}

TEST(MemoryTest, GrowCappedAt65536Pages) {
  auto m = Memory::Create(Mem(0));
  ASSERT_TRUE(m.ok());
  Memory& mem = **m;
  EXPECT_EQ(mem.max_pages(), 65536u);
  EXPECT_EQ(mem.Grow(65537), std::nullopt);
  EXPECT_EQ(mem.Grow(UINT64_MAX), std::nullopt);
  EXPECT_EQ(mem.pages(), 0u);
  // The full 4 GiB can be committed (address space only; pages are touched lazily).
  EXPECT_EQ(mem.Grow(65536), std::optional<uint64_t>(0));
  EXPECT_EQ(mem.size_bytes(), uint64_t{1} << 32);
  mem.data()[(uint64_t{1} << 32) - 1] = 1;
  EXPECT_EQ(mem.Grow(1), std::nullopt);
}

TEST(MemoryTest, MinimumAboveMaximumFails) {
  auto m = Memory::Create(Mem(3, 2));
  ASSERT_FALSE(m.ok());
}

TEST(MemoryTest, ManyMemoriesCanBeReserved) {
  // 8 GiB of address space each: 64 of them need 512 GiB, well within a 47-bit space.
  std::vector<std::unique_ptr<Memory>> mems;
  for (int i = 0; i < 64; ++i) {
    auto m = Memory::Create(Mem(1));
    ASSERT_TRUE(m.ok()) << i;
    mems.push_back(std::move(*m));
  }
  for (size_t i = 1; i < mems.size(); ++i) EXPECT_NE(mems[i]->data(), mems[0]->data());
}

// (Not under AddressSanitizer: its own mappings fail under a small RLIMIT_AS.)
#if !defined(__SANITIZE_ADDRESS__)
void LimitAddressSpace(uint64_t bytes) {
  struct rlimit rl;
  rl.rlim_cur = bytes;
  rl.rlim_max = bytes;
  setrlimit(RLIMIT_AS, &rl);
}

// [a64] Whether RLIMIT_AS is enforced here: qemu-user ignores it (its own mappings need the
// space), so a 16 GiB reservation still succeeds under a 4 GiB limit. Checked in a child.
bool AddressSpaceLimitEnforced() {
  pid_t pid = fork();
  if (pid == 0) {
    LimitAddressSpace(uint64_t{1} << 32);
    void* p = mmap(nullptr, uint64_t{16} << 30, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    std::_Exit(p == MAP_FAILED ? 0 : 1);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return true;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(MemoryDeathTest, ReservationFailureIsAClearError) {
  if (!AddressSpaceLimitEnforced()) GTEST_SKIP() << "RLIMIT_AS is not enforced (qemu-user?)";
  EXPECT_EXIT(
      {
        LimitAddressSpace(uint64_t{1} << 32);
        auto m = Memory::Create(Mem(1));
        if (m.ok()) std::_Exit(3);
        std::fprintf(stderr, "%s\n", m.error().ToString().c_str());
        std::_Exit(m.error().kind == ErrorKind::kUninstantiable ? 0 : 4);
      },
      ::testing::ExitedWithCode(0), "cannot reserve 8 GiB of address space for a linear memory");
}
#endif

}  // namespace
}  // namespace wt::runtime
