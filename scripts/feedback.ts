// npm run -s feedback — technique feedback for one utterance per line on stdin, one JSON
// object per line on stdout: {"questions":[{"text":"…","kind":"open"}], …}.
import readline from "node:readline";
import { analyzeReply } from "~/features/practice/technique";

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) {
    console.log(JSON.stringify(analyzeReply("")));
    continue;
  }
  const feedback = analyzeReply(line);
  console.log(
    JSON.stringify({
      ...feedback,
      questions: feedback.questions.map(({ text, kind, leading }) => ({ text, kind, leading })),
    }),
  );
}
