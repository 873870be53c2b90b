// What the editor's insert menu puts at the cursor: one filled-in, valid example of each lesson-kit
// component (the same syntax content/README.md documents), for the trainer to rewrite.
export const SKELETONS: ReadonlyArray<{ label: string; text: (n: number) => string }> = [
  {
    label: "Quiz",
    text: (n) => `<Quiz id="question-${n}" prompt="The buyer says “we have no budget this year”. What do you ask next?">
  <Choice correct explanation="It finds out whether the need is real before the money is discussed.">
    What would it cost you to wait until next year?
  </Choice>
  <Choice explanation="A discount answers an objection you have not understood yet.">
    Would a discount change that?
  </Choice>
  <Choice explanation="Agreeing ends the conversation without learning anything.">
    I understand, I'll call back next year.
  </Choice>
</Quiz>
`,
  },
  {
    label: "Example",
    text: () => `<Example title="Opening discovery">
<Weak>

“Are you happy with your current supplier?”

</Weak>
<Strong>

“Walk me through what happens when an order is late today.”

</Strong>
<Why>

The closed question invites a polite “yes”; the open one puts the buyer's process on the table.

</Why>
</Example>
`,
  },
  {
    label: "Dialogue",
    text: () => `<Dialogue>
  <Buyer name="Priya, Head of Ops">We already have a tool for this.</Buyer>
  <Rep>What made you take this call, given that?</Rep>
</Dialogue>
`,
  },
  {
    label: "RolePlay",
    text: (n) => `<RolePlay
  id="roleplay-${n}"
  mode="branching"
  title="“You're 20% over budget”"
  persona="Dana Ruiz, CFO of a 300-person logistics firm"
  situation="Final call before Dana signs. She has a cheaper quote."
  goal="Protect the price by trading, not conceding."
>
  <Turn id="start" buyer="Your proposal is 20% over what we budgeted. Can you sharpen the pencil?">
    <Reply points="0" feedback="You conceded before you knew what the budget covers.">
      We can probably take 10% off.
    </Reply>
    <Reply points="3" feedback="You asked what is behind the number before moving." next="explore">
      Help me understand how you arrived at the budget figure.
    </Reply>
  </Turn>
  <Turn id="explore" buyer="We sized it for 200 users, not 300.">
    <Reply points="3" feedback="You traded scope for price, keeping the unit price intact.">
      Then let's start with 200 users at the same rate and add the rest in Q3.
    </Reply>
    <Reply points="1" feedback="The buyer got a discount without giving anything.">
      I'll see what I can do on the rate.
    </Reply>
  </Turn>
  <Rubric>
${["Explores before conceding", "Trades rather than gives", "Keeps the buyer talking"]
  .map(
    (name, i) => `    <Criterion id="criterion-${i + 1}" name="${name}" weight="${i === 0 ? 40 : 30}">
      <Level score="1">Does not try.</Level>
      <Level score="2">Tries once, then gives way.</Level>
      <Level score="3">Does it when prompted.</Level>
      <Level score="4">Does it unprompted.</Level>
      <Level score="5">Does it and builds on what the buyer says.</Level>
    </Criterion>`,
  )
  .join("\n")}
  </Rubric>
</RolePlay>
`,
  },
  {
    label: "KeyPoint",
    text: () => `<KeyPoint>

- The one thing to remember.

</KeyPoint>
`,
  },
  {
    label: "Callout",
    text: () => `<Callout kind="tip" title="Before the call">

Write down the one thing you need to learn from this buyer.

</Callout>
`,
  },
  {
    label: "Video",
    text: () => `<Video src="/media/clip.mp4" title="A discovery call">

Transcript: what is said in the clip, for reps without sound.

</Video>
`,
  },
  {
    label: "Audio",
    text: () => `<Audio src="/media/voicemail.ogg" title="A voicemail that earns a reply">

Transcript: what is said in the clip.

</Audio>
`,
  },
];
