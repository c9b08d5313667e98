// @ts-check
// Lint of the TypeScript sources (`npm run lint`, part of `npm test`): ESLint's and
// typescript-eslint's recommended rules. Formatting is Biome's job (biome.json, `npm run format`).
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["bin/**", "node_modules/**", "policy/bin/**", "policy/node_modules/**", "**/*.js"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // `_name` marks a parameter or binding kept for its position or type only.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
        },
    },
    {
        // Tests read registered resources' untyped inputs (Pulumi mocks hand them over as `any`).
        files: ["tests/**/*.ts"],
        // Programs and modules that run on load are required after the mocks are set up.
        rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
    },
);
