// Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/)
// from the story the targets start from, with the targets' own formats:
//   fuzz_seeds <corpus-dir>
// Each seed is named by the SHA-256 of its bytes, as libFuzzer names them.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "renkei/v1/command.pb.h"
#include "services/domain/event_codec.h"
#include "storage/chain.h"
#include "storage/layout.h"
#include "tests/fuzz/command_requests.h"
#include "tests/fuzz/fuzz_world.h"

namespace renkei::fuzz {
namespace {

namespace fs = std::filesystem;

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

void Write(const fs::path& dir, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / Hex(storage::Sha256(bytes)).substr(0, 40),
                std::ios::binary)
      << bytes;
}

char Byte(size_t v) { return static_cast<char>(v & 0xff); }

// The request of `kind` carrying `command`'s oneof value and id.
std::string RequestFor(const CommandRequestKind& kind,
                       const google::protobuf::Message& command, int key) {
  auto request = NewRequest(kind);
  const auto* refl = request->GetReflection();
  auto* options = static_cast<v1::CommandOptions*>(refl->MutableMessage(
      request.get(), kind.request->FindFieldByName("options")));
  options->set_idempotency_key(absl::StrCat("seed-", key));
  *options->mutable_occurred_at() =
      *static_cast<const google::protobuf::Timestamp*>(
          &command.GetReflection()->GetMessage(
              command,
              command.GetDescriptor()->FindFieldByName("occurred_at")));
  if (kind.id_field != nullptr) {
    const auto* id =
        command.GetDescriptor()->FindFieldByName(kind.id_field->name());
    refl->SetString(request.get(), kind.id_field,
                    command.GetReflection()->GetString(command, id));
  }
  refl->MutableMessage(request.get(), kind.request->FindFieldByName("command"))
      ->CopyFrom(
          command.GetReflection()->GetMessage(command, kind.wrapper_field));
  return request->SerializeAsString();
}

size_t StaffIndex(const google::protobuf::Message& command) {
  const auto& actor =
      static_cast<const v1::Actor&>(command.GetReflection()->GetMessage(
          command, command.GetDescriptor()->FindFieldByName("actor")));
  for (size_t i = 0; i < StoryStaff().size(); ++i) {
    if (actor.staff_id() == StoryStaff()[i].staff_id) return i;
  }
  return 0;
}

int Main(const fs::path& root) {
  const World& world = StoryWorld();
  const auto& kinds = CommandRequestKinds();

  // fuzz_command_decode: each story command as its request, and an empty
  // request of every kind.
  int key = 0;
  for (const auto& command : world.story_commands) {
    for (size_t k = 0; k < kinds.size(); ++k) {
      const auto* refl = command->GetReflection();
      if (kinds[k].wrapper_field->containing_type() !=
              command->GetDescriptor() ||
          !refl->HasField(*command, kinds[k].wrapper_field)) {
        continue;
      }
      Write(root / "fuzz_command_decode",
            absl::StrCat(std::string(1, Byte(k)),
                         std::string(1, Byte(StaffIndex(*command))),
                         RequestFor(kinds[k], *command, ++key)));
    }
  }
  for (size_t k = 0; k < kinds.size(); ++k) {
    Write(root / "fuzz_command_decode",
          absl::StrCat(std::string(1, Byte(k)), std::string(1, '\0')));
  }

  // fuzz_envelope_decode: the story's events as stored envelopes (mode 0),
  // layout records (mode 1) and boundary text (mode 2).
  uint64_t position = 1;
  std::string prev = storage::ZeroHash();
  auto envelopes = [&](const std::string& stream,
                       const std::vector<v1::ProposedEvent>& events) {
    for (const auto& e : ToEnvelopes(stream, 1, position, prev, events)) {
      Write(root / "fuzz_envelope_decode",
            absl::StrCat(std::string(1, '\0'), e.SerializeAsString()));
      prev = e.hash();
      ++position;
    }
  };
  std::vector<v1::ProposedEvent> batch;
  for (const auto& e : world.directory_history) {
    batch.push_back(domain::ToProposedEvent(e));
  }
  batch.resize(std::min<size_t>(batch.size(), 3));
  envelopes("directory", batch);
  for (const auto& [id, history] : world.case_history) {
    batch.clear();
    for (const auto& e : history) batch.push_back(domain::ToProposedEvent(e));
    envelopes(domain::CaseStreamId(id), batch);
  }
  for (const auto& [id, history] : world.conference_history) {
    batch.clear();
    for (const auto& e : history) batch.push_back(domain::ToProposedEvent(e));
    envelopes(domain::ConferenceStreamId(id), batch);
  }
  for (const auto& [id, history] : world.handover_history) {
    batch.clear();
    for (const auto& e : history) batch.push_back(domain::ToProposedEvent(e));
    envelopes(domain::HandoverStreamId(id), batch);
  }
  namespace layout = storage::layout;
  const std::string one(1, '\1');
  Write(root / "fuzz_envelope_decode",
        one + layout::EncodeHead({42, prev, 1712134800000000}));
  Write(root / "fuzz_envelope_decode", one + layout::EncodeStreamHead({7, 42}));
  Write(root / "fuzz_envelope_decode",
        one + layout::EncodeIdempotency({prev, 40, 42, 7}));
  const std::string two(1, '\2');
  for (const char* text :
       {"c1", "case-c1", "母子世帯", "0123456789abcdef0123456789abcdef",
        "00000000-0000-4000-8000-000000000001", "a\x01z", "\xc3\x28",
        "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe3\x81"}) {
    Write(root / "fuzz_envelope_decode", two + text);
  }

  // fuzz_decide_sequence: the story's commands replayed as raw steps (most
  // refused: they already happened), and some generated sequences.
  std::string raw;
  for (const auto& command : world.story_commands) {
    const std::string bytes = command->SerializeAsString();
    int aggregate = 0;
    const std::string name = command->GetDescriptor()->name();
    if (name == "CaseCommand") aggregate = 1;
    if (name == "ConferenceCommand") aggregate = 2;
    if (name == "HandoverCommand") aggregate = 3;
    std::string step(1, static_cast<char>(0x80 | aggregate));
    step.push_back(Byte(bytes.size() >> 8));
    step.push_back(Byte(bytes.size()));
    step += bytes;
    Write(root / "fuzz_decide_sequence", step);
  }
  uint32_t lcg = 12345;
  auto next = [&lcg] {
    lcg = lcg * 1103515245 + 12345;
    return Byte(lcg >> 16);
  };
  // Template steps: each story command with one change, then sequences of
  // four templates.
  size_t stories = 0;  // as fuzz_decide_sequence's Templates()
  for (const auto& c : world.story_commands) {
    const auto* d = dynamic_cast<const v1::DirectoryCommand*>(c.get());
    if (d == nullptr || d->has_record_staff_departure()) ++stories;
  }
  for (size_t i = 0; i < stories; ++i) {
    std::string bytes = {'\x40', Byte(i), '\0', '\0', Byte(i), '\1'};
    for (int k = 0; k < 8; ++k) bytes.push_back(next());
    Write(root / "fuzz_decide_sequence", bytes);
  }
  for (int seed = 0; seed < 8; ++seed) {
    std::string bytes;
    for (int step = 0; step < 4; ++step) {
      bytes += {'\x40', Byte(next() % stories), next(), next(), next(), next(),
                '\2'};
      for (int k = 0; k < 8; ++k) bytes.push_back(next());
    }
    Write(root / "fuzz_decide_sequence", bytes);
  }
  for (int seed = 0; seed < 12; ++seed) {
    std::string bytes;
    for (int i = 0; i < 160; ++i) bytes.push_back(next());
    for (size_t i = 0; i < bytes.size(); i += 40) {
      bytes[i] = static_cast<char>((bytes[i] & 0x3f));  // generated steps
    }
    Write(root / "fuzz_decide_sequence", bytes);
  }
  return 0;
}

}  // namespace
}  // namespace renkei::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
    return 2;
  }
  return renkei::fuzz::Main(argv[1]);
}
