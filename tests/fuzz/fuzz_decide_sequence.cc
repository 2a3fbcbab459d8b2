// libFuzzer target: `decide` over random command sequences.
//
// Starting from the story's world (a case with a plan and a stage lead, a
// held conference, a started handover), the input is read as up to
// kMaxSteps commands, each decided against the current states and, when
// accepted, applied: case, conference, handover and directory commands
// interleave, so leads, referrals, action items, departures and handover
// completions (with the per-stream moves they plan) meet in any order.
//
// Step format (see tests/fuzz/README.md; the seed generator writes it):
//   byte h: h % 4 picks the aggregate (directory, case, conference,
//   handover); with h & 0x80 the step is raw: a big-endian 16-bit length and
//   that many bytes of the wrapper command as serialized. Otherwise bytes
//   pick the actor, the day and hour, the aggregate id and the command kind,
//   and every field of the command is filled from the input by reflection
//   (ids from the story's pool of ids, enums from their values and now and
//   then an unknown number, timestamps around the story's days).
//
// Invariants: no exception escapes; deciding twice gives the same outcome;
// refusals have a documented code; at the end every stream's history, after
// a round trip through the log's envelope, folds from scratch to exactly the
// state built incrementally.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/domain/time_util.h"
#include "tests/fuzz/fuzz_world.h"

namespace renkei::fuzz {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kMaxSteps = 24;
constexpr int kMaxDepth = 4;

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint16_t U16() {
    const uint16_t hi = U8();
    return static_cast<uint16_t>((hi << 8) | U8());
  }
  std::string Bytes(size_t n) {
    n = std::min(n, size_ - std::min(pos_, size_));
    std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Free text: printable ASCII, and a Japanese word now and then.
std::string FreeText(Reader& r) {
  std::string out;
  const size_t n = r.U8() % 24;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t b = r.U8();
    if (b >= 0xf0) {
      out += "支援";
    } else {
      out.push_back(static_cast<char>(0x20 + b % 0x5f));
    }
  }
  return out;
}

std::string AnId(Reader& r) {
  const uint8_t b = r.U8();
  if (b >= 0xf8) return FreeText(r);
  const auto& ids = StoryIds();
  return ids[b % ids.size()];
}

void Fill(Message& m, Reader& r, int depth);

void SetOne(Message& m, const FieldDescriptor* f, Reader& r, int depth) {
  const Reflection* refl = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string v =
          absl::EndsWith(f->name(), "_id") || absl::EndsWith(f->name(), "_ids")
              ? AnId(r)
              : (r.U8() < 200 ? FreeText(r) : AnId(r));
      rep ? refl->AddString(&m, f, v) : refl->SetString(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = f->enum_type();
      const uint8_t b = r.U8();
      const int v = b == 0xff ? 9999 : e->value(b % e->value_count())->number();
      rep ? refl->AddEnumValue(&m, f, v) : refl->SetEnumValue(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const bool v = r.U8() & 1;
      rep ? refl->AddBool(&m, f, v) : refl->SetBool(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      const int32_t v = static_cast<int8_t>(r.U8());
      rep ? refl->AddInt32(&m, f, v) : refl->SetInt32(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t v = static_cast<int8_t>(r.U8());
      rep ? refl->AddInt64(&m, f, v) : refl->SetInt64(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const uint32_t v = r.U8();
      rep ? refl->AddUInt32(&m, f, v) : refl->SetUInt32(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      const uint64_t v = r.U8();
      rep ? refl->AddUInt64(&m, f, v) : refl->SetUInt64(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (depth >= kMaxDepth) return;
      Message* child =
          rep ? refl->AddMessage(&m, f) : refl->MutableMessage(&m, f);
      if (f->message_type() == google::protobuf::Timestamp::descriptor()) {
        auto* ts = static_cast<google::protobuf::Timestamp*>(child);
        const uint8_t b = r.U8();
        if (b == 0xff) {
          ts->set_seconds(int64_t{1} << 40);  // out of range
        } else {
          *ts = domain::ToTimestamp(Day(b % 64 - 12, r.U8() % 24));
        }
        return;
      }
      Fill(*child, r, depth + 1);
      break;
    }
    default:
      break;  // no float or double fields in commands
  }
}

void Fill(Message& m, Reader& r, int depth) {
  const Descriptor* d = m.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    // A oneof gets one member: the first the input chooses.
    if (f->containing_oneof() != nullptr &&
        m.GetReflection()->HasOneof(m, f->containing_oneof())) {
      continue;
    }
    const uint8_t b = r.U8();
    if (b < 48) continue;  // left unset
    const int count = f->is_repeated() ? 1 + b % 3 : 1;
    for (int k = 0; k < count; ++k) SetOne(m, f, r, depth);
  }
}

template <typename Command>
void Generate(Command& command, Reader& r, const char* id_field,
              const char* const* ids, int id_count) {
  const StaffRef& staff = StoryStaff()[r.U8() % StoryStaff().size()];
  const int day = r.U8() % 48 - 2;
  const int hour = r.U8() % 24;
  *command.mutable_occurred_at() = domain::ToTimestamp(Day(day, hour));
  command.mutable_actor()->set_staff_id(staff.staff_id);
  command.mutable_actor()->set_agency_id(staff.agency_id);
  const Reflection* refl = command.GetReflection();
  if (id_field != nullptr) {
    refl->SetString(&command,
                    command.GetDescriptor()->FindFieldByName(id_field),
                    ids[r.U8() % id_count]);
  }
  const auto* oneof = command.GetDescriptor()->FindOneofByName("kind");
  const FieldDescriptor* kind = oneof->field(r.U8() % oneof->field_count());
  Fill(*refl->MutableMessage(&command, kind), r, 1);
}

template <typename Command>
void Step(World& world, Command& command) {
  const absl::Status first = Run(world, command, /*apply=*/false, nullptr);
  const absl::Status second = Run(world, command, /*apply=*/true, nullptr);
  if (first != second) {
    Fail(absl::StrCat("deciding twice differs: ", first.ToString(), " then ",
                      second.ToString(), "\n", command.DebugString()));
  }
  if (!first.ok()) {
    switch (first.code()) {
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kNotFound:
      case absl::StatusCode::kFailedPrecondition:
      case absl::StatusCode::kAlreadyExists:
      case absl::StatusCode::kPermissionDenied:
        break;
      default:
        Fail(absl::StrCat("unexpected refusal ", first.ToString(), "\n",
                          command.DebugString()));
    }
  }
}

template <typename Command>
void RawStep(World& world, Reader& r) {
  const std::string bytes = r.Bytes(r.U16());
  Command command;
  if (!command.ParseFromString(bytes)) return;
  Step(world, command);
}

void RunSequence(const uint8_t* data, size_t size) {
  World world = StoryWorld();
  Reader r(data, size);
  static const char* const kCases[] = {"c1", "c2"};
  static const char* const kConferences[] = {"k1", "k2"};
  static const char* const kHandovers[] = {"h1", "h2"};
  for (int step = 0; step < kMaxSteps && !r.empty(); ++step) {
    const uint8_t h = r.U8();
    const bool raw = (h & 0x80) != 0;
    switch (h % 4) {
      case 0: {
        if (raw) {
          RawStep<v1::DirectoryCommand>(world, r);
          break;
        }
        v1::DirectoryCommand c;
        Generate(c, r, nullptr, nullptr, 0);
        Step(world, c);
        break;
      }
      case 1: {
        if (raw) {
          RawStep<v1::CaseCommand>(world, r);
          break;
        }
        v1::CaseCommand c;
        Generate(c, r, "case_id", kCases, 2);
        Step(world, c);
        break;
      }
      case 2: {
        if (raw) {
          RawStep<v1::ConferenceCommand>(world, r);
          break;
        }
        v1::ConferenceCommand c;
        Generate(c, r, "conference_id", kConferences, 2);
        Step(world, c);
        break;
      }
      default: {
        if (raw) {
          RawStep<v1::HandoverCommand>(world, r);
          break;
        }
        v1::HandoverCommand c;
        Generate(c, r, "handover_id", kHandovers, 2);
        Step(world, c);
        break;
      }
    }
  }
  CheckRefold(world);
}

}  // namespace
}  // namespace renkei::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    renkei::fuzz::RunSequence(data, size);
  } catch (const std::exception& e) {
    renkei::fuzz::Fail(absl::StrCat("exception escaped: ", e.what()));
  } catch (...) {
    renkei::fuzz::Fail("exception escaped");
  }
  return 0;
}
