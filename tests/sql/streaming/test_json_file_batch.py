"""A JSON file source reads all the files of a micro-batch in one go, in the order its log lists them."""

from __future__ import annotations

import os


def test_files_of_one_batch_keep_their_order(spark, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(30):
        path = src / f"f{i:02d}.json"
        path.write_text("".join(f'{{"file":{i},"line":{j}}}\n' for j in range(3)), encoding="utf-8")
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))  # the log lists files oldest first
    got = []
    df = spark.readStream.schema("file LONG, line LONG").json(str(src))
    q = df.writeStream.foreachBatch(lambda b, _: got.extend(tuple(r) for r in b.collect())) \
        .trigger(availableNow=True).start()
    q.awaitTermination(60)
    assert got == [(i, j) for i in range(30) for j in range(3)]
