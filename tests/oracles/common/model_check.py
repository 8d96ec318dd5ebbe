"""Development aid shared by the per-architecture check_model.py scripts: compare a Python
model's predictions with emulated images' expected.txt, count the outcome classes and the model
features met (coverage), and print the probes where they differ."""
from collections import Counter

from image import read_image, memory_of, parse_answer


def check_images(dirs, make_model, observed, hide_fields):
    """make_model(image, memory) -> a model with walk(addr, type) -> (answer, features);
    observed(status, fields) -> the emulator's answer in the model's answer form;
    hide_fields: answer fields left out of the outcome class (addresses)."""
    bad = total = 0
    classes, features = Counter(), Counter()
    for d in dirs:
        img = read_image(d)
        m = make_model(img, memory_of(img))
        for (i, t, a), line in zip(img.probes, img.expected):
            ans, feats = m.walk(a, t)
            _, st, f = parse_answer(line)
            total += 1
            classes[" ".join(w for w in line.split()[1:] if not w.startswith(hide_fields)) + f" [{t}]"] += 1
            features.update(feats)
            if observed(st, f) != ans:
                bad += 1
                print(f"{d} probe {i} {t} {a:#x}: emulator {line!r} model {ans} {sorted(feats)}")
    for k, v in sorted(classes.items()):
        print(f"{v:6} {k}")
    print("features met:", ", ".join(f"{k} {v}" for k, v in sorted(features.items())))
    print(f"{total - bad} same, {bad} differ")
