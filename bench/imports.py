"""Benchmark: parsing Teams attendance reports and protocols (no database). Prints figures; asserts nothing.

python bench/imports.py [--participants 20000]
"""

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from app.imports.attendance.parse import parse_attendance
from app.imports.protocol.parse import parse_protocol, protocol_text

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "samples"

parser = argparse.ArgumentParser()
parser.add_argument("--participants", type=int, default=7000, help="7 000 make about 4.5 MB, near the 5 MB limit.")
parser.add_argument("--repeat", type=int, default=5)
args = parser.parse_args()


def report(participants: int) -> bytes:
    """A current-layout report (UTF-16, tabs) with this many participants, each joining twice."""
    head = "1. Summary\nMeeting title\tStort möte\nStart time\t3/12/25, 1:00:00 PM\nEnd time\t3/12/25, 5:00:00 PM\n\n"
    people = ["2. Participants", "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole"]
    activity = ["3. In-Meeting Activities", "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole"]
    for i in range(participants):
        name, mail = f"Åsa Öberg {i}", f"asa.oberg{i}@region.example"
        people.append(f"{name}\t3/12/25, 1:00:00 PM\t3/12/25, 3:00:00 PM\t1h 50m 0s\t{mail}\t{mail}\tAttendee")
        activity.append(f"{name}\t3/12/25, 1:00:00 PM\t3/12/25, 1:50:00 PM\t50m 0s\t{mail}\tAttendee")
        activity.append(f"{name}\t3/12/25, 2:00:00 PM\t3/12/25, 3:00:00 PM\t1h 0m 0s\t{mail}\tAttendee")
    text = head + "\n".join(people) + "\n\n" + "\n".join(activity) + "\n"
    return ("\ufeff" + text).encode("utf-16-le")


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main() -> None:
    data = report(args.participants)
    ms = timed(lambda: parse_attendance(data, "big.csv"), args.repeat)
    parsed = parse_attendance(data, "big.csv")
    print(f"attendance report, {args.participants} participants ({len(data) / 1e6:.1f} MB): median {ms:.0f} ms, "
          f"{len(parsed.participants)} participants read")  # fmt: skip
    sample = (SAMPLES / "seeds" / "protokoll-2024-05-03.txt").read_bytes()
    ms = timed(lambda: parse_protocol(protocol_text(sample, "protokoll.txt")), args.repeat * 4)
    print(f"protocol 2024-05-03 (.txt, 11 items, 51 attendees): median {ms:.1f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
