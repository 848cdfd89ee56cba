// [a64] The aarch64 lazy stub and compile thunk (jit/a64/lazy_host_a64.h): the words, checked on
// every host against the disassembly of aarch64-linux-gnu-objdump; on aarch64 the stub is also
// run (a slot leading to a function, then to the resume path).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "jit/a64/lazy_host_a64.h"
#include "jit/code_memory.h"
#include "jit/lazy_compile.h"

#if defined(__aarch64__)
#include "jit/code_arena.h"
#endif

namespace wt::jit {
namespace {

std::vector<uint32_t> Words(const uint8_t* p, size_t n) {
  std::vector<uint32_t> w(n);
  std::memcpy(w.data(), p, n * 4);
  return w;
}

TEST(A64Lazy, StubWords) {
  uint8_t buf[32];
  std::memset(buf, 0xAB, sizeof(buf));
  const uint64_t stub = 0x7f0000100000;
  const uint64_t slot = 0x7f0000000030;  // 256 pages below, offset 0x30 in its page
  a64lazy::WriteStub(buf, stub, 0x12345, slot, stub + 0x30);
  EXPECT_EQ(Words(buf, 8), (std::vector<uint32_t>{
                               0x90fff810,  // adrp x16, 0x7f0000000000
                               0xf9401a10,  // ldr x16, [x16, #48]
                               0xd61f0200,  // br x16
                               0x528468b1,  // mov w17, #0x2345
                               0x72a00031,  // movk w17, #0x1, lsl #16
                               0x14000007,  // b stub + 0x30 (from +20)
                               0, 0,        // udf #0
                           }));
}

TEST(A64Lazy, StubReachesForwardAndBackward) {
  uint8_t buf[32];
  // The slot above the stub (a page delta > 0) and the thunk far ahead (near the b limit).
  const uint64_t stub = 0x400000;
  a64lazy::WriteStub(buf, stub, 7, 0x400000 + (uint64_t{3} << 12) + 0xFF8, stub + 20 + 0x7FFFFFC);
  auto w = Words(buf, 8);
  EXPECT_EQ(w[0], 0x90000010u | (3u << 29));  // adrp x16, +3 pages (immlo = 3)
  EXPECT_EQ(w[1], 0xf9400000u | (0x1FFu << 10) | (16u << 5) | 16u);  // #0xff8
  EXPECT_EQ(w[3], 0x528000f1u);                                      // mov w17, #7
  EXPECT_EQ(w[4], 0x72a00011u);                                      // movk w17, #0, lsl #16
  EXPECT_EQ(w[5], 0x15ffffffu);                                      // b +0x7fffffc
  EXPECT_TRUE(a64lazy::BranchReaches(stub, stub + 0x7FFFFFC));
  EXPECT_FALSE(a64lazy::BranchReaches(stub, stub + 0x8000000));
  EXPECT_TRUE(a64lazy::BranchReaches(stub, stub - 0x8000000));
  EXPECT_TRUE(a64lazy::AdrpReaches(0x100000000, 0x100000000 + (uint64_t{2} << 30)));
  EXPECT_FALSE(a64lazy::AdrpReaches(0x100000000, 0x100000000 + (uint64_t{4} << 30)));
}

TEST(A64Lazy, ThunkWords) {
  uint8_t buf[a64lazy::kThunkWords * 4];
  a64lazy::WriteThunk(buf, 0x1122334455667788ull, 0x99aabbccddeeff00ull);
  auto w = Words(buf, a64lazy::kThunkWords);
  EXPECT_EQ(w, (std::vector<uint32_t>{
                   0xa9bd7bfd,  // stp x29, x30, [sp, #-48]!
                   0x910003fd,  // mov x29, sp
                   0xa90173fb,  // stp x27, x28, [sp, #16]
                   0xa90247eb,  // stp x11, x17, [sp, #32]
                   0x58000180,  // ldr x0, +48 (module)
                   0x2a1103e1,  // mov w1, w17
                   0xaa1c03e2,  // mov x2, x28
                   0xaa1d03e3,  // mov x3, x29
                   0x58000150,  // ldr x16, +40 (compile_fn)
                   0xd63f0200,  // blr x16
                   0xaa0003f0,  // mov x16, x0
                   0xa94173fb,  // ldp x27, x28, [sp, #16]
                   0xa94247eb,  // ldp x11, x17, [sp, #32]
                   0xa8c37bfd,  // ldp x29, x30, [sp], #48
                   0xd61f0200,  // br x16
                   0,           // udf #0
                   0x55667788, 0x11223344, 0xddeeff00, 0x99aabbcc,
               }));
}

#if defined(WTRUN_ISA_a64)
TEST(A64Lazy, StubSizeIsPerIsa) {
  EXPECT_EQ(kLazyStubSize, 32u);
  EXPECT_EQ(LazyThunkSize(), a64lazy::kThunkWords * 4);
  EXPECT_EQ(kLazyPadByte, 0);  // udf #0
}
#endif

// The instruction-cache hooks (jit/code_memory.h): no-ops on x86_64; on aarch64 the flush
// runs over any readable range and the membarrier either works or reports that it is missing
// (qemu-user forwards it to the host kernel), never failing the caller.
TEST(A64Lazy, InstructionCacheHooks) {
  std::vector<uint8_t> buf(4096, 0);
  FlushInstructionCache(buf.data(), buf.size());
  FlushInstructionCache(buf.data(), 0);
#if defined(__aarch64__)
  const bool first = SyncCoresAfterCodeWrite();
  EXPECT_EQ(SyncCoresAfterCodeWrite(), first);  // registered once: the same answer every time
#else
  EXPECT_FALSE(SyncCoresAfterCodeWrite());
#endif
}

#if defined(__aarch64__)
// A stub written into an arena runs: with the slot at the resume point, it ends in the "thunk"
// (here a function returning w17 + 1000, so the index arrives); with the slot at another
// function, it goes there. The stub's words come from the data side; a missing instruction-
// cache flush at Commit would run stale bytes on hardware (qemu checks the behaviour only).
TEST(A64Lazy, StubRunsThroughItsSlot) {
  auto arena = CodeArena::Create(size_t{16} << 20, 4096, 4);
  ASSERT_TRUE(arena.ok()) << arena.error().message;
  auto* slots = reinterpret_cast<uint64_t*>((*arena)->data());
  auto a = (*arena)->Allocate(64);
  ASSERT_TRUE(a.ok());
  uint8_t* rw = a->rw;
  const uint64_t rx = reinterpret_cast<uint64_t>(a->rx);
  const uint32_t fake_thunk[] = {
      0x11000000u | (1000u << 10) | (17u << 5) | 0u,  // add w0, w17, #1000
      0xd65f03c0u,                                    // ret
  };
  const uint32_t answer[] = {
      0x52800000u | (42u << 5),  // mov w0, #42
      0xd65f03c0u,               // ret
  };
  a64lazy::WriteStub(rw, rx, 0x10005, reinterpret_cast<uint64_t>(&slots[1]), rx + 32);
  std::memcpy(rw + 32, fake_thunk, sizeof(fake_thunk));
  std::memcpy(rw + 48, answer, sizeof(answer));
  ASSERT_TRUE((*arena)->Commit(*a, {}, {}, {}).ok());
  using Fn = uint32_t (*)();
  auto stub = reinterpret_cast<Fn>(a->rx);
  slots[1] = rx + a64lazy::kStubResume;
  EXPECT_EQ(stub(), 0x10005u + 1000u);
  slots[1] = rx + 48;
  EXPECT_EQ(stub(), 42u);
}
#endif

}  // namespace
}  // namespace wt::jit
