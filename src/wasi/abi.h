// WASI preview 1 ABI: the numeric values of its enums and flags, and the byte layout of the
// records guest and host exchange through linear memory (little-endian, natural alignment).
// `wasi_unstable` (snapshot 0) differs in three layouts/encodings, kept here beside them.
#pragma once

#include <cstdint>

namespace wt::wasi {

// ---- Rights (u64 bit set)
namespace rights {
inline constexpr uint64_t kFdDatasync = 1ull << 0;
inline constexpr uint64_t kFdRead = 1ull << 1;
inline constexpr uint64_t kFdSeek = 1ull << 2;
inline constexpr uint64_t kFdFdstatSetFlags = 1ull << 3;
inline constexpr uint64_t kFdSync = 1ull << 4;
inline constexpr uint64_t kFdTell = 1ull << 5;
inline constexpr uint64_t kFdWrite = 1ull << 6;
inline constexpr uint64_t kFdAdvise = 1ull << 7;
inline constexpr uint64_t kFdAllocate = 1ull << 8;
inline constexpr uint64_t kPathCreateDirectory = 1ull << 9;
inline constexpr uint64_t kPathCreateFile = 1ull << 10;
inline constexpr uint64_t kPathLinkSource = 1ull << 11;
inline constexpr uint64_t kPathLinkTarget = 1ull << 12;
inline constexpr uint64_t kPathOpen = 1ull << 13;
inline constexpr uint64_t kFdReaddir = 1ull << 14;
inline constexpr uint64_t kPathReadlink = 1ull << 15;
inline constexpr uint64_t kPathRenameSource = 1ull << 16;
inline constexpr uint64_t kPathRenameTarget = 1ull << 17;
inline constexpr uint64_t kPathFilestatGet = 1ull << 18;
inline constexpr uint64_t kPathFilestatSetSize = 1ull << 19;
inline constexpr uint64_t kPathFilestatSetTimes = 1ull << 20;
inline constexpr uint64_t kFdFilestatGet = 1ull << 21;
inline constexpr uint64_t kFdFilestatSetSize = 1ull << 22;
inline constexpr uint64_t kFdFilestatSetTimes = 1ull << 23;
inline constexpr uint64_t kPathSymlink = 1ull << 24;
inline constexpr uint64_t kPathRemoveDirectory = 1ull << 25;
inline constexpr uint64_t kPathUnlinkFile = 1ull << 26;
inline constexpr uint64_t kPollFdReadwrite = 1ull << 27;
inline constexpr uint64_t kSockShutdown = 1ull << 28;
inline constexpr uint64_t kSockAccept = 1ull << 29;
inline constexpr uint64_t kAll = (1ull << 30) - 1;

// What a regular file (or character device, pipe...) can be asked to do.
inline constexpr uint64_t kFileBase =
    kFdDatasync | kFdRead | kFdSeek | kFdFdstatSetFlags | kFdSync | kFdTell | kFdWrite | kFdAdvise |
    kFdAllocate | kFdFilestatGet | kFdFilestatSetSize | kFdFilestatSetTimes | kPollFdReadwrite;
// What a directory can be asked to do.
inline constexpr uint64_t kDirBase =
    kFdSync | kPathCreateDirectory | kPathCreateFile | kPathLinkSource | kPathLinkTarget |
    kPathOpen | kFdReaddir | kPathReadlink | kPathRenameSource | kPathRenameTarget |
    kPathFilestatGet | kPathFilestatSetSize | kPathFilestatSetTimes | kFdFilestatGet |
    kFdFilestatSetTimes | kPathSymlink | kPathRemoveDirectory | kPathUnlinkFile;
// Rights that need the host file opened for writing.
inline constexpr uint64_t kWriteAccess = kFdWrite | kFdDatasync | kFdAllocate | kFdFilestatSetSize;
inline constexpr uint64_t kReadAccess = kFdRead | kFdReaddir;
}  // namespace rights

// ---- Enums and flags
enum class Filetype : uint8_t {
  kUnknown = 0,
  kBlockDevice = 1,
  kCharacterDevice = 2,
  kDirectory = 3,
  kRegularFile = 4,
  kSocketDgram = 5,
  kSocketStream = 6,
  kSymbolicLink = 7,
};

namespace fdflags {
inline constexpr uint16_t kAppend = 1 << 0;
inline constexpr uint16_t kDsync = 1 << 1;
inline constexpr uint16_t kNonblock = 1 << 2;
inline constexpr uint16_t kRsync = 1 << 3;
inline constexpr uint16_t kSync = 1 << 4;
inline constexpr uint16_t kAll = (1 << 5) - 1;
inline constexpr uint16_t kSyncs = kDsync | kRsync | kSync;
}  // namespace fdflags

namespace oflags {
inline constexpr uint16_t kCreat = 1 << 0;
inline constexpr uint16_t kDirectory = 1 << 1;
inline constexpr uint16_t kExcl = 1 << 2;
inline constexpr uint16_t kTrunc = 1 << 3;
inline constexpr uint16_t kAll = (1 << 4) - 1;
}  // namespace oflags

inline constexpr uint32_t kLookupSymlinkFollow = 1;

namespace fstflags {
inline constexpr uint16_t kAtim = 1 << 0;
inline constexpr uint16_t kAtimNow = 1 << 1;
inline constexpr uint16_t kMtim = 1 << 2;
inline constexpr uint16_t kMtimNow = 1 << 3;
inline constexpr uint16_t kAll = (1 << 4) - 1;
}  // namespace fstflags

enum class ClockId : uint32_t {
  kRealtime = 0,
  kMonotonic = 1,
  kProcessCputime = 2,
  kThreadCputime = 3,
};

enum class Whence : uint8_t { kSet = 0, kCur = 1, kEnd = 2 };
// wasi_unstable numbers them differently.
enum class UnstableWhence : uint8_t { kCur = 0, kEnd = 1, kSet = 2 };

inline constexpr uint32_t kAdviceMax = 5;  // normal .. noreuse

enum class EventType : uint8_t { kClock = 0, kFdRead = 1, kFdWrite = 2 };
inline constexpr uint16_t kSubclockAbstime = 1;
inline constexpr uint16_t kEventFdReadwriteHangup = 1;

inline constexpr uint8_t kPreopenTypeDir = 0;

namespace sdflags {
inline constexpr uint8_t kRd = 1;
inline constexpr uint8_t kWr = 2;
}  // namespace sdflags
inline constexpr uint16_t kRiflagRecvPeek = 1;
inline constexpr uint16_t kRiflagRecvWaitall = 2;
inline constexpr uint16_t kRoflagDataTruncated = 1;

// ---- Record layouts: {size, alignment, field offsets}
namespace layout {
// iovec / ciovec: buf u32, buf_len u32
inline constexpr uint32_t kIovecSize = 8, kIovecAlign = 4;

// fdstat
inline constexpr uint32_t kFdstatSize = 24, kFdstatAlign = 8;
inline constexpr uint32_t kFdstatFiletype = 0, kFdstatFlags = 2, kFdstatRightsBase = 8,
                          kFdstatRightsInheriting = 16;

// filestat (preview 1: nlink is u64)
inline constexpr uint32_t kFilestatSize = 64, kFilestatAlign = 8;
inline constexpr uint32_t kFilestatDev = 0, kFilestatIno = 8, kFilestatFiletype = 16,
                          kFilestatNlink = 24, kFilestatSizeField = 32, kFilestatAtim = 40,
                          kFilestatMtim = 48, kFilestatCtim = 56;
// filestat (wasi_unstable: nlink is u32)
inline constexpr uint32_t kUnstableFilestatSize = 56;
inline constexpr uint32_t kUnstableFilestatNlink = 20, kUnstableFilestatSizeField = 24,
                          kUnstableFilestatAtim = 32, kUnstableFilestatMtim = 40,
                          kUnstableFilestatCtim = 48;

// prestat: tag u8, dir.pr_name_len u32
inline constexpr uint32_t kPrestatSize = 8, kPrestatAlign = 4, kPrestatNameLen = 4;

// dirent (written unaligned into the readdir buffer, followed by the name)
inline constexpr uint32_t kDirentSize = 24;
inline constexpr uint32_t kDirentNext = 0, kDirentIno = 8, kDirentNamlen = 16, kDirentType = 20;

// subscription (preview 1)
inline constexpr uint32_t kSubscriptionSize = 48, kSubscriptionAlign = 8;
inline constexpr uint32_t kSubUserdata = 0, kSubTag = 8, kSubClockId = 16, kSubClockTimeout = 24,
                          kSubClockPrecision = 32, kSubClockFlags = 40, kSubFd = 16;
// subscription (wasi_unstable: the clock carries an extra u64 identifier first)
inline constexpr uint32_t kUnstableSubscriptionSize = 56;
inline constexpr uint32_t kUnstableSubClockId = 24, kUnstableSubClockTimeout = 32,
                          kUnstableSubClockPrecision = 40, kUnstableSubClockFlags = 48;

// event
inline constexpr uint32_t kEventSize = 32, kEventAlign = 8;
inline constexpr uint32_t kEventUserdata = 0, kEventError = 8, kEventType = 10, kEventNbytes = 16,
                          kEventFlags = 24;
}  // namespace layout

}  // namespace wt::wasi
