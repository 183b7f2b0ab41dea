"""Names vulture reports as unused that are used (`make deadcode` reads this file with the code).

Decorated functions (routes, commands, rails, checks, fixtures) and conventional names are ignored in
pyproject.toml [tool.vulture]; what remains is listed here with who uses it. A name that is really dead
is removed from the code, not added here.
"""

# ruff: noqa

# Read by a library: sqlite3 connection attributes, chromadb's EmbeddingFunction protocol, jieba's tmp_dir,
# tokenizers' normalizer, uvicorn's should_exit, presidio's recognizer hooks, http.server's handler methods
_.nlp  # unused attribute (bench/presidio_baseline.py:33)
_.validate_result  # unused method (bench/presidio_baseline.py:50)
_.row_factory  # unused attribute (bot/orders/sqlite.py:42)
_.isolation_level  # unused attribute (bot/records/store.py:66)
_.get_config  # unused method (knowledge/dense.py:50)
_.build_from_config  # unused method (knowledge/dense.py:53)
_.is_legacy  # unused method (knowledge/dense.py:57)
_.tmp_dir  # unused attribute (knowledge/tokenize.py:41)
_.should_exit  # unused attribute (scripts/screenshots.py:141)
_.normalizer  # unused attribute (scripts/train_static_embedding.py:128)
_.pre_tokenizer  # unused attribute (scripts/train_static_embedding.py:129)
_.log_message  # unused method (tests/audit/test_llm_sinks.py:33)
_.do_POST  # unused method (tests/audit/test_llm_sinks.py:36)
_.daemon_threads  # unused attribute (tests/audit/test_llm_sinks.py:49)
_.should_exit  # unused attribute (tests/fixtures/web.py:108)
_.log_message  # unused method (tests/support/fake_openai.py:50)
_.do_POST  # unused method (tests/support/fake_openai.py:53)

# Dataclass fields of the turn trace and of facts, set positionally or by keyword and kept with them:
# step_after, by. search_note, device_alarm and phone_like are set but not read today (CsBot's parts and the
# understanding are being reshaped under issue 16); remove them there rather than list them here
step_after  # unused variable (bot/engine.py:74)
by  # unused variable (bot/facts.py:42)
_.step_after  # unused attribute (bot/pipeline.py:41)
_.step_after  # unused attribute (bot/recording.py:159)
_.step_after  # unused attribute (bot/service.py:250)
search_note  # unused variable (bot/shared_parts.py:38)
step_after  # unused variable (bot/types.py:86)
device_alarm  # unused variable (bot/understand/__init__.py:31)
phone_like  # unused variable (bot/understand/numbers.py:17)
