// The POSIX memory calls src/jit/code_object.cpp makes (anonymous private mappings,
// protection changes, page size), over VirtualAlloc/VirtualProtect, for the mingw-w64 cross
// build of the trap module (cmake/windows-trap). Not a general mmap.
#pragma once

#include <windows.h>

#include <cstddef>

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20
#define MAP_FAILED (reinterpret_cast<void*>(-1))
#define _SC_PAGESIZE 30

inline DWORD WtrunCompatProtection(int prot) {
  if (prot & PROT_EXEC) return (prot & PROT_WRITE) ? PAGE_EXECUTE_READWRITE : PAGE_EXECUTE_READ;
  if (prot & PROT_WRITE) return PAGE_READWRITE;
  if (prot & PROT_READ) return PAGE_READONLY;
  return PAGE_NOACCESS;
}

inline void* mmap(void*, size_t size, int prot, int, int, long) {
  void* p = VirtualAlloc(nullptr, size, MEM_RESERVE | MEM_COMMIT, WtrunCompatProtection(prot));
  return p != nullptr ? p : MAP_FAILED;
}
inline int munmap(void* p, size_t) {
  return VirtualFree(p, 0, MEM_RELEASE) ? 0 : -1;
}
inline int mprotect(void* p, size_t size, int prot) {
  DWORD old = 0;
  return VirtualProtect(p, size, WtrunCompatProtection(prot), &old) ? 0 : -1;
}
inline long sysconf(int) {
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return static_cast<long>(info.dwPageSize);
}
