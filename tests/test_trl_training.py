"""Real TRL GRPO steps against a live server (no fake trainer): a tiny randomly initialised Qwen3 model and a
tokenizer trained here (no hub), TRL's bundled Qwen3 chat template, and generation forced by a logits
processor to emit a scripted review. Two GRPOTrainer steps with `environment_factory=CodeReviewToolEnv`
(tool calls: view a file, detect, fix, submit) and two with `rollout_func=trl_rollout_func()` (JSON
actions). Each group holds a good and a weak review, so the advantages are not zero and the weights move.

Checked: the server recorded every call of every episode (its step artifacts), `get_reward` / the
rollout's env_reward returned each episode's reward and TRL logged exactly those rewards, and TRL logged
the tool calls (metrics and the completions table). Needs the [train] extra (trl, torch); under CI=true a
missing one fails instead of skipping."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from environment.corpus.tasks import load_task

from .conftest import ROOT, start_server, stop_server

if os.environ.get("CI") == "true":
    import torch
    import trl
else:
    torch = pytest.importorskip("torch")
    trl = pytest.importorskip("trl")

from datasets import Dataset  # noqa: E402
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402
from transformers import (  # noqa: E402
    LogitsProcessor,
    LogitsProcessorList,
    PreTrainedTokenizerFast,
    Qwen3Config,
    Qwen3ForCausalLM,
)
from trl import GRPOConfig, GRPOTrainer  # noqa: E402
from trl.chat_template_utils import qwen3_chat_template  # noqa: E402

pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "trl_grpo_rollout.py"
TASK = load_task(ROOT / "task_repos" / "logic-bulk-discount")
SOURCE = TASK.entry_file  # shop/pricing.py: the bug is on line 13
TEST_FILE = "tests/test_pricing.py"
BUG = TASK.spec.bugs[0]
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
MARKERS = ["<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>"]
END = "<|im_end|>"

# Two reviews of the same task: the good one earns the detection and the fix; the weak one views the tests,
# reports a wrong category and "fixes" nothing.
GOOD = [("view_file", {"path": SOURCE}),
        ("detect_bug", {"category": BUG.category, "path": SOURCE, "line": BUG.line}),
        ("apply_fix", {"path": SOURCE, "content": TASK.solution[SOURCE]}),
        ("submit", {"verdict": "request_changes"})]
WEAK = [("view_file", {"path": TEST_FILE}),
        ("detect_bug", {"category": "style", "path": SOURCE, "line": 1}),
        ("apply_fix", {"path": SOURCE, "content": TASK.repo[SOURCE]}),
        ("submit", {"verdict": "request_changes"})]
TOOL_TO_ACTION = {"view_file": "view_file", "detect_bug": "detect_bug", "apply_fix": "apply_fix",
                  "submit": "request_changes"}


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("trl_grpo_rollout_training", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A live server that writes every step it receives to an artifacts folder (one folder per episode)."""
    artifacts = tmp_path_factory.mktemp("artifacts")
    proc, url = start_server({"MAX_CONCURRENT_ENVS": "16", "AUTOCODERL_ARTIFACTS_DIR": str(artifacts)})
    yield url, artifacts
    log = stop_server(proc)
    assert "Traceback" not in log, log[-3000:]


def server_episodes(artifacts: Path, skip: set[str] = frozenset()) -> list[list[dict[str, Any]]]:
    """Every episode the server played (but those in `skip`): its steps' records (action, reward), in order."""
    return [[json.loads(step.read_text()) for step in sorted(folder.glob("step-*.json"))]
            for folder in sorted(artifacts.iterdir()) if folder.is_dir() and folder.name not in skip]


def tiny_tokenizer(example) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer trained here on the texts it will see, with Qwen3's special tokens and TRL's
    bundled Qwen3 chat template."""
    texts = [example.SYSTEM_PROMPT, example.TOOL_PROMPT, *TASK.repo.values(), *TASK.solution.values(),
             json.dumps(GOOD), json.dumps(WEAK), "Issue confirmed. fix score solved visible tests passed"]
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=1024, special_tokens=SPECIAL,
                                                             initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tokenizer.add_tokens([AddedToken(m, special=False, normalized=False) for m in MARKERS])
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token=END, pad_token="<|endoftext|>",
                                   additional_special_tokens=["<|im_start|>"])
    fast.chat_template = qwen3_chat_template
    fast.padding_side = "left"
    return fast


class ScriptedTurns(LogitsProcessor):
    """Forces each row to emit its planned token ids, then the end-of-turn token."""

    def __init__(self, plans: list[list[int]], eos: int) -> None:
        self.plans, self.eos, self.start = plans, eos, None

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if self.start is None:
            self.start = input_ids.shape[1]
        position = input_ids.shape[1] - self.start
        forced = torch.full_like(scores, float("-inf"))
        for row, plan in enumerate(self.plans):
            forced[row, plan[position] if position < len(plan) else self.eos] = 0.0
        return forced


class ScriptedQwen3(Qwen3ForCausalLM):
    """A real (random) Qwen3 whose `generate` runs as usual with a ScriptedTurns processor appended: `script(context,
    row)` gives the text of the turn to emit after `context` (row = the row of the batch)."""

    script: Callable[[str, int], str]
    tokenizer: PreTrainedTokenizerFast

    def generate(self, *args: Any, **kwargs: Any):
        input_ids = kwargs["input_ids"]
        attention = kwargs.get("attention_mask")
        plans = []
        for row in range(input_ids.shape[0]):
            ids = input_ids[row] if attention is None else input_ids[row][attention[row].bool()]
            context = self.tokenizer.decode(ids.tolist(), skip_special_tokens=False)
            plans.append(self.tokenizer.encode(self.script(context, row), add_special_tokens=False))
        processors = kwargs.pop("logits_processor", None) or LogitsProcessorList()
        processors.append(ScriptedTurns(plans, self.tokenizer.eos_token_id))
        return super().generate(*args, logits_processor=processors, **kwargs)


def tiny_model(tokenizer: PreTrainedTokenizerFast, script: Callable[[str, int], str]) -> ScriptedQwen3:
    torch.manual_seed(0)
    config = Qwen3Config(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=65536,
                         tie_word_embeddings=True, pad_token_id=tokenizer.pad_token_id,
                         eos_token_id=tokenizer.eos_token_id, bos_token_id=None)
    model = ScriptedQwen3(config)
    model.script, model.tokenizer = script, tokenizer
    return model


def review_of(context: str, row: int, marker: str) -> list[tuple[str, dict[str, Any]]]:
    """The review a row plays: fixed by its first action once there is one (`marker` is the weak review's
    first action as emitted), else by the row's parity (row 2k: good, 2k+1: weak; TRL keeps a group together)."""
    if marker in context:
        return WEAK
    first_turn = context.count("<|im_start|>assistant") <= 1
    return WEAK if first_turn and row % 2 else GOOD


def tool_call_text(name: str, arguments: dict[str, Any]) -> str:
    return "<tool_call>\n" + json.dumps({"name": name, "arguments": arguments}) + "\n</tool_call>"


def tool_script(context: str, row: int) -> str:
    """One Qwen3 tool call per turn (the number of tool responses so far says which), then a closing remark."""
    review = review_of(context, row, tool_call_text(*WEAK[0]))
    done = context.count("<tool_response>")
    return (tool_call_text(*review[done]) if done < len(review) else "Review submitted.") + END


def config(tmp_path: Path, **overrides: Any) -> GRPOConfig:
    return GRPOConfig(output_dir=str(tmp_path / "out"), per_device_train_batch_size=2, num_generations=2, max_steps=2,
                      max_completion_length=6144, learning_rate=1e-2, logging_steps=1, report_to="none",
                      log_completions=True, save_strategy="no", use_cpu=True, bf16=False, seed=0, beta=0.0,
                      disable_tqdm=True, dataloader_num_workers=0, **overrides)


def completions_table(tmp_path: Path) -> dict[str, list[Any]]:
    """TRL's completions table (log_completions), every step's rows in one dict of columns."""
    import pandas

    frames = [pandas.read_parquet(f) for f in sorted((tmp_path / "out" / "completions").glob("completions_*.parquet"))]
    assert len(frames) == 2
    table = pandas.concat(frames)
    return {column: table[column].tolist() for column in table.columns}


def weights(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.named_parameters()}


def test_environment_factory_trains_on_tool_calls(example, server, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    url, artifacts = server
    monkeypatch.setattr(example, "ENV_URL", url)
    monkeypatch.setenv("TRL_EXPERIMENTAL_SILENCE", "1")
    rewards_returned: list[float] = []
    calls: list[tuple[str, str]] = []

    class RecordingToolEnv(example.CodeReviewToolEnv):
        """The example's class, recording what it was asked and what get_reward returned."""

        def _act(self, **fields: Any) -> str:
            answer = super()._act(**fields)
            calls.append((fields["action_type"], answer))
            return answer

        def get_reward(self) -> float:
            reward = super().get_reward()
            rewards_returned.append(reward)
            return reward

    tokenizer = tiny_tokenizer(example)
    model = tiny_model(tokenizer, tool_script)
    before = weights(model)
    rows = {"prompt": [[{"role": "user", "content": example.TOOL_PROMPT}]] * 2, "task_id": [TASK.id] * 2,
            "seed": [0, 1]}
    trainer = GRPOTrainer(model=model, processing_class=tokenizer, environment_factory=RecordingToolEnv,
                          train_dataset=Dataset.from_dict(rows), args=config(tmp_path))
    try:
        trainer.train()
    finally:
        for pool in trainer._environment_pool.values():
            for env in pool:
                env._close()

    # the server received every call of every episode, in order
    episodes = server_episodes(artifacts)
    assert len(episodes) == 4
    played = sorted([r["action"]["action_type"] for r in steps] for steps in episodes)
    assert played == [[TOOL_TO_ACTION[name] for name, _ in GOOD]] * 4
    assert sorted(r["action"]["bug_category"] for steps in episodes for r in steps
                  if r["action"]["action_type"] == "detect_bug") == [BUG.category] * 2 + ["style"] * 2
    server_rewards = sorted(round(sum(r["reward"] for r in steps), 6) for steps in episodes)
    assert server_rewards[0] < server_rewards[-1]  # a good and a weak review in each group

    # get_reward returned each episode's reward, and TRL logged exactly those (per step: the metric and the
    # completions table)
    assert sorted(round(r, 6) for r in rewards_returned) == server_rewards
    table = completions_table(tmp_path)
    assert sorted(round(r, 6) for r in table["RecordingToolEnv"]) == server_rewards
    means = [h["rewards/RecordingToolEnv/mean"] for h in trainer.state.log_history
             if "rewards/RecordingToolEnv/mean" in h]
    assert means == pytest.approx([sum(rewards_returned[:2]) / 2, sum(rewards_returned[2:]) / 2])
    assert len(calls) == 16 and all(answer and "Pull request" not in answer for _, answer in calls)

    # TRL logged the tool calls: 4 per rollout, none failed, and the completions hold them and their answers
    logged = [h for h in trainer.state.log_history if "tools/call_frequency" in h]
    assert [h["tools/call_frequency"] for h in logged] == [4.0, 4.0]
    assert [h["tools/failure_frequency"] for h in logged] == [0.0, 0.0]
    for completion in table["completion"]:
        names = [c["function"]["name"] for m in completion for c in m.get("tool_calls") or []]
        assert names == [name for name, _ in GOOD]
        assert sum(m["role"] == "tool" for m in completion) == 4

    after = weights(model)
    assert any(not torch.equal(before[k], after[k]) for k in before)  # a real optimiser step


def json_script(context: str, row: int) -> str:
    """One JSON action per turn (the number of environment answers so far says which), as the SYSTEM_PROMPT asks."""
    marker = json.dumps({"action_type": "view_file", "file": TEST_FILE})
    review = review_of(context, row, marker)
    done = context.count("<|im_start|>user") - 1
    if done >= len(review):
        return "Done." + END
    name, arguments = review[done]
    action = {"view_file": lambda a: {"action_type": "view_file", "file": a["path"]},
              "detect_bug": lambda a: {"action_type": "detect_bug", "bug_category": a["category"], "file": a["path"],
                                       "line": a["line"]},
              "apply_fix": lambda a: {"action_type": "apply_fix", "files": {a["path"]: a["content"]}},
              "submit": lambda a: {"action_type": a["verdict"]}}[name](arguments)
    return json.dumps(action) + END


def test_rollout_func_trains_on_json_actions(example, server, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    url, artifacts = server
    monkeypatch.setenv("TRL_EXPERIMENTAL_SILENCE", "1")
    seen_before = {p.name for p in artifacts.iterdir()}
    tokenizer = tiny_tokenizer(example)
    model = tiny_model(tokenizer, json_script)
    before = weights(model)
    env_rewards: list[float] = []

    def reward(completions: list[Any], env_reward: list[float], **kwargs: Any) -> list[float]:
        env_rewards.extend(env_reward)
        return example.reward_from_env(completions, env_reward, **kwargs)

    prompts = [example.task_prompt(task_id=TASK.id, seed=s) for s in (0, 1)]
    trainer = GRPOTrainer(model=model, processing_class=tokenizer, reward_funcs=reward,
                          rollout_func=example.trl_rollout_func(base_url=url),
                          train_dataset=Dataset.from_dict({"prompt": prompts}), args=config(tmp_path))
    trainer.train()

    new = server_episodes(artifacts, skip=seen_before)
    assert len(new) == 4
    assert sorted([r["action"]["action_type"] for r in steps] for steps in new) == \
        [[TOOL_TO_ACTION[name] for name, _ in GOOD]] * 4
    server_rewards = sorted(round(sum(r["reward"] for r in steps), 6) for steps in new)
    assert server_rewards[0] < server_rewards[-1]
    assert sorted(round(r, 6) for r in env_rewards) == server_rewards
    table = completions_table(tmp_path)
    assert sorted(round(r, 6) for r in table["reward"]) == server_rewards
    assert table["actions"] == ["view_file detect_bug apply_fix request_changes"] * 4
    logged = [h for h in trainer.state.log_history if "env/turns" in h]
    assert [h["env/turns"] for h in logged] == [4.0, 4.0]
    after = weights(model)
    assert any(not torch.equal(before[k], after[k]) for k in before)
