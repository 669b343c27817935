-- AlterTable
ALTER TABLE "Camera" ADD COLUMN     "zoneFocus" JSONB;
