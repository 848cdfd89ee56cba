// Process-wide interning of function types: structurally equal types share one canonical id.
#include <deque>
#include <mutex>
#include <unordered_map>

#include "runtime/instance_data.h"

namespace wt::runtime {
namespace {

struct FuncTypeHash {
  size_t operator()(const wasm::FuncType& t) const {
    size_t h = t.params.size() * 31 + t.results.size();
    auto mix = [&h](const wasm::ValType& v) {
      size_t x = static_cast<size_t>(v.kind) | (size_t{v.nullable} << 4) |
                 (static_cast<size_t>(v.heap.kind) << 5) | (size_t{v.heap.index} << 12);
      h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    };
    for (const auto& v : t.params) mix(v);
    h ^= 0x51;
    for (const auto& v : t.results) mix(v);
    return h;
  }
};

struct Registry {
  Registry() { types.emplace_back(); }  // id 0 is never handed out (a zeroed FuncRef matches none)
  std::mutex mu;
  std::deque<wasm::FuncType> types;  // id -> type (deque: stable references)
  std::unordered_map<wasm::FuncType, uint32_t, FuncTypeHash> ids;
};

Registry& GetRegistry() {
  static Registry* r = new Registry();  // never destroyed: ids outlive every store
  return *r;
}

}  // namespace

uint32_t InternFuncType(const wasm::FuncType& type) {
  return InternFuncTypeKey(type, type);
}

uint32_t InternFuncTypeKey(const wasm::FuncType& key, const wasm::FuncType& type) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.ids.find(key);
  if (it != r.ids.end()) return it->second;
  auto id = static_cast<uint32_t>(r.types.size());
  r.types.push_back(type);
  r.ids.emplace(key, id);
  return id;
}

uint32_t NewFuncTypeId(const wasm::FuncType& type) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto id = static_cast<uint32_t>(r.types.size());
  r.types.push_back(type);
  return id;
}

const wasm::FuncType& FuncTypeOf(uint32_t type_id) {
  Registry& r = GetRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.types.at(type_id);
}

}  // namespace wt::runtime
