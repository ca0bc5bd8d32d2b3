#!/usr/bin/env python3
"""Read Parley's alerts from Kafka in Python and print each as one JSON line.

Parley writes every value in Avro's single-object encoding: the marker C3 01, the 8-byte
CRC-64-AVRO fingerprint of the writer's schema (little-endian), then the Avro binary body. This
example checks the marker, finds the writer's schema by its fingerprint among the .avsc files of
the repository's schemas/ directory, and decodes the body with it. It reads committed records only
(Parley writes in transactions) in a consumer group, so a restart carries on where it stopped.

Libraries: Debian's python3-confluent-kafka and python3-avro.

    /usr/bin/python3 alerts_consumer.py --bootstrap-server localhost:9092 --schemas ../../schemas
"""
import argparse
import datetime
import glob
import io
import json
import os
import re
import struct
import sys

import avro.io
import avro.name
import avro.schema
from confluent_kafka import Consumer, KafkaError, KafkaException

ALERTS_TOPIC = "parley.alerts.v1"
MARKER = b"\xc3\x01"

_EMPTY = 0xC15D213AA4D7A795  # CRC-64-AVRO's initial value, as Avro's specification gives it
_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY & -(_fp & 1))
    _TABLE.append(_fp)


def canonical_form(schema):
    """Avro's parsing canonical form. python3-avro 1.11 writes a primitive with a logical type (a
    timestamp) as {"type":"long"}, where the specification, and Java, write "long": fixed here."""
    return re.sub(r'\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}', r'"\1"', schema.canonical_form)


def fingerprint(schema):
    """CRC-64-AVRO of the schema's parsing canonical form, as Avro's specification defines it."""
    fp = _EMPTY
    for byte in canonical_form(schema).encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


def load_schemas(directory):
    """Every named schema of Parley, by fingerprint. A file may refer to types of other files, so
    they are parsed in an order that puts each type before its uses (found by retrying: a failed
    parse leaves half a type behind, so each attempt starts afresh)."""
    order = sorted(glob.glob(os.path.join(directory, "common", "*.avsc"))) \
        + sorted(glob.glob(os.path.join(directory, "state", "*.avsc"))) \
        + sorted(glob.glob(os.path.join(directory, "events", "*.avsc"))) \
        + sorted(glob.glob(os.path.join(directory, "*.avsc")))
    texts = {}
    for path in order:
        with open(path, encoding="utf-8") as f:
            texts[path] = json.load(f)
    for _ in range(len(order) ** 2):
        names = avro.name.Names()
        parsed = []
        failed = None
        for path in order:
            try:
                parsed.append(avro.schema.make_avsc_object(texts[path], names))
            except avro.errors.SchemaParseException:
                failed = path
                break
        if failed is None:
            schemas = {fingerprint(schema): schema for schema in parsed}
            # Earlier versions, each whole in one file: what an older Parley wrote still decodes.
            for path in sorted(glob.glob(os.path.join(directory, "history", "*.avsc"))):
                with open(path, encoding="utf-8") as f:
                    old = avro.schema.make_avsc_object(json.load(f), avro.name.Names())
                schemas.setdefault(fingerprint(old), old)
            return schemas
        order.remove(failed)
        order.append(failed)
    raise SystemExit("cannot parse the schemas in " + directory + ": a type they refer to is missing")


def decode(value, schemas):
    """One single-object encoded value, decoded with the schema that wrote it."""
    if value is None or len(value) < 10:
        raise ValueError("too short for single-object encoding: %r" % (value,))
    if value[:2] != MARKER:
        raise ValueError("not single-object encoding: starts with %s, not C3 01" % value[:2].hex(" ").upper())
    (fp,) = struct.unpack("<Q", value[2:10])
    schema = schemas.get(fp)
    if schema is None:
        raise ValueError("written with a schema this reader does not have: fingerprint 0x%016X" % fp)
    reader = avro.io.DatumReader(schema)
    return reader.read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))


def as_json(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    raise TypeError(type(value))


def main():
    parser = argparse.ArgumentParser(description="Print Parley's alerts as JSON lines.")
    parser.add_argument("--bootstrap-server", default="localhost:9092")
    parser.add_argument("--schemas", default=os.path.join(os.path.dirname(__file__), "..", "..", "schemas"))
    parser.add_argument("--group", default="parley-python-alerts")
    parser.add_argument("--max", type=int, default=0, help="stop after this many alerts (0: never)")
    parser.add_argument("--idle-seconds", type=float, default=0, help="stop after this long without an alert (0: never)")
    args = parser.parse_args()

    schemas = load_schemas(args.schemas)
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_server,
        "group.id": args.group,
        "isolation.level": "read_committed",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([ALERTS_TOPIC])
    printed = 0
    idle = 0.0
    try:
        while args.max == 0 or printed < args.max:
            message = consumer.poll(0.5)
            if message is None:
                idle += 0.5
                if args.idle_seconds and idle >= args.idle_seconds:
                    break
                continue
            idle = 0.0
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise KafkaException(message.error())
            try:
                alert = decode(message.value(), schemas)
            except ValueError as e:
                print("partition %d offset %d: %s" % (message.partition(), message.offset(), e), file=sys.stderr)
                continue
            print(json.dumps(alert, default=as_json, sort_keys=True), flush=True)
            consumer.commit(message=message, asynchronous=False)
            printed += 1
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
