// Personal fields of a message, as the protos mark them: `(personal)` for
// the data itself, `(names_subject)` for the ids of the subjects it is
// about. Reflection only: any message, no list of event kinds to keep up.
//
// Repeated messages are split element by element: ids and order stay in
// the public part, and MergePersonal puts each element's personal fields
// back by position.
//
// Thread-safety: stateless functions, safe for concurrent use.
#pragma once

#include <set>
#include <string>

#include "google/protobuf/message.h"

namespace renkei::privacy {

// Whether `message`'s type holds any personal field (transitively).
[[nodiscard]] bool HoldsPersonalFields(
    const google::protobuf::Descriptor* descriptor);

// Moves every set personal field of `message` into `personal` (a message of
// the same type, cleared first). True when anything moved.
bool SplitPersonal(google::protobuf::Message* message,
                   google::protobuf::Message* personal);

// Puts back what SplitPersonal moved out: MergePersonal(message, personal)
// after SplitPersonal(message, personal) restores the original. `personal`
// is consumed (its personal fields are moved, not copied).
void MergePersonal(google::protobuf::Message* message,
                   google::protobuf::Message* personal);

// Clears every personal field of `message` in place.
void ClearPersonal(google::protobuf::Message* message);

// The subject ids in every `(names_subject)` field of `message`.
[[nodiscard]] std::set<std::string> NamedSubjects(
    const google::protobuf::Message& message);

}  // namespace renkei::privacy
